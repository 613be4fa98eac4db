import { Stack } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, ModelData } from '../../../lib/constructs/core';
import { Endpoint, EndpointProps, EndpointVariant, Model } from '../../../lib/constructs/hosting';
import { MlKey, MlNetwork, SecureBucket } from '../../../lib/constructs/security';

/** A stack's shared pieces for hosting tests: key, bucket, network, an XGBoost model. */
export function hostingFixture(stack: Stack, options: { network?: boolean; image?: string } = {}) {
  const key = new MlKey(stack, 'Key');
  const bucket = new SecureBucket(stack, 'Artifacts', { encryptionKey: key });
  const network = options.network ? new MlNetwork(stack, 'Network', { encryptionKey: key }) : undefined;
  const model = new Model(stack, 'Model', {
    containers: [{ image: ContainerImage.xgboost(options.image ?? '1.7-1'), modelData: ModelData.fromBucket(bucket, 'model/model.tar.gz') }],
    vpc: network?.vpc,
    securityGroups: network ? [network.securityGroup] : undefined,
  });
  return { key, bucket, network, model };
}

/** The reference real-time endpoint: ml.c5.xlarge x 2, weight 1, data capture 100 %. */
export function referenceEndpoint(stack: Stack, overrides: Partial<EndpointProps> = {}) {
  const fixture = hostingFixture(stack);
  const endpoint = new Endpoint(stack, 'Endpoint', {
    variants: [EndpointVariant.instance({ model: fixture.model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 2, initialVariantWeight: 1 })],
    dataCapture: { destination: fixture.bucket, samplingPercentage: 100 },
    encryptionKey: fixture.key,
    ...overrides,
  });
  return { ...fixture, endpoint };
}

/** A model fit for a serverless variant: no VPC, no network isolation, single model. */
export function serverlessModel(stack: Stack, bucket: SecureBucket, id = 'ServerlessModel'): Model {
  return new Model(stack, id, {
    containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'model/model.tar.gz') }],
    networkIsolation: false,
  });
}
