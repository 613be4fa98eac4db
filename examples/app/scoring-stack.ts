import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ContainerImage,
  DataQualityMonitor,
  DeploymentPolicy,
  Endpoint,
  EndpointAlarms,
  EndpointVariant,
  InferenceApi,
  InstanceType,
  MlKey,
  MlNetwork,
  Model,
  ModelData,
  MonitoringBaseline,
  SecureBucket,
} from 'sagemaker-cdk-constructs';

/**
 * A scoring service as another team would build it with the library: a private network, a
 * key, a bucket, an XGBoost model behind an autoscaled endpoint with data capture, a canary
 * deployment policy, alarms, drift monitoring and an IAM-authorized REST API.
 */
export class ScoringStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const network = new MlNetwork(this, 'Network');
    const key = new MlKey(this, 'Key');
    const bucket = new SecureBucket(this, 'Models', { encryptionKey: key });

    const model = new Model(this, 'Model', {
      containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'scoring/model.tar.gz') }],
      vpc: network.vpc,
      securityGroups: [network.securityGroup],
    });
    const endpoint = new Endpoint(this, 'Endpoint', {
      endpointName: 'scoring',
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 2 })],
      dataCapture: { destination: bucket, samplingPercentage: 100 },
      encryptionKey: key,
      deployment: DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10) }),
    });
    const variant = endpoint.variant('AllTraffic');
    variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 }).scaleOnInvocations({ targetInvocationsPerInstance: 70 });
    const alarms = new EndpointAlarms(this, 'Alarms', { variant, encryptionKey: key });
    endpoint.addRollbackAlarms(alarms.modelLatencyAlarm, alarms.errorsAlarm);

    new DataQualityMonitor(this, 'Drift', {
      endpoint,
      outputBucket: bucket,
      baseline: MonitoringBaseline.fromBucket(bucket, 'scoring/baseline/statistics.json', 'scoring/baseline/constraints.json'),
      network,
    });
    // The library fixes or acknowledges its own constructs' cdk-nag findings
    // (docs/acknowledgements.md): with these defaults the stack needs no acknowledgement.
    new InferenceApi(this, 'Api', { endpoint, encryptionKey: key });
  }
}
