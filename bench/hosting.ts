import { App, Stack, aws_iam as iam, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, ModelData } from '../lib/constructs/core';
import { Endpoint, EndpointVariant, Model } from '../lib/constructs/hosting';
import { SecureBucket } from '../lib/constructs/security';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** 50 endpoints (model + endpoint config + endpoint + role each) built with our constructs. */
export function buildFiftyEndpoints(app: App): void {
  const stack = new Stack(app, 'FiftyEndpoints', { env: ENV });
  const bucket = new SecureBucket(stack, 'Models');
  for (let i = 0; i < 50; i++) {
    const model = new Model(stack, `Model${i}`, {
      containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, `m${i}/model.tar.gz`) }],
    });
    new Endpoint(stack, `Endpoint${i}`, { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
  }
}

/** The same 50 endpoints as raw L1 resources with hand-written roles. */
export function buildFiftyEndpointsRawL1(app: App): void {
  const stack = new Stack(app, 'FiftyEndpointsL1', { env: ENV });
  const bucket = new SecureBucket(stack, 'Models');
  for (let i = 0; i < 50; i++) {
    const role = new iam.Role(stack, `Role${i}`, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    bucket.grantRead(role, `m${i}/model.tar.gz`);
    const model = new sagemaker.CfnModel(stack, `Model${i}`, {
      executionRoleArn: role.roleArn,
      enableNetworkIsolation: true,
      primaryContainer: { image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', modelDataUrl: `s3://${bucket.bucketName}/m${i}/model.tar.gz` },
    });
    model.node.addDependency(role);
    const config = new sagemaker.CfnEndpointConfig(stack, `Config${i}`, {
      productionVariants: [{ variantName: 'AllTraffic', modelName: model.attrModelName, instanceType: 'ml.c5.xlarge', initialInstanceCount: 1, initialVariantWeight: 1 }],
    });
    new sagemaker.CfnEndpoint(stack, `Endpoint${i}`, { endpointConfigName: config.attrEndpointConfigName });
  }
}
