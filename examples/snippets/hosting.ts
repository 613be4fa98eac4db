import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ContainerImage, DataQualityMonitor, DeploymentPolicy, Endpoint, EndpointAlarms, EndpointVariant, InferenceApi,
  InstanceType, Model, ModelData, MonitoringBaseline, MonitoringSchedule,
} from 'sagemaker-cdk-constructs';
import { networkSnippet } from './network';

/** The README's hosting snippet: an autoscaled endpoint with canary rollback, monitoring and an API. */
export function hostingSnippet(scope: Construct) {
  const { key, network, data } = networkSnippet(scope);
  // snippet:start
  const model = new Model(scope, 'Model', {
    containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(data, 'models/model.tar.gz') }],
    vpc: network.vpc, vpcSubnets: network.subnets, securityGroups: [network.endpointsSecurityGroup],
  });
  const endpoint = new Endpoint(scope, 'Endpoint', {
    variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 2 })],
    dataCapture: { destination: data, prefix: 'capture/', samplingPercentage: 100, encryptionKey: key },
    encryptionKey: key,
    deployment: DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10) }), // at most half the fleet
  });
  const variant = endpoint.variant('AllTraffic');
  variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 }).scaleOnInvocations({ targetInvocationsPerInstance: 70 });
  const alarms = new EndpointAlarms(scope, 'Alarms', { variant }); // alerts on their own KMS-encrypted topic
  endpoint.addRollbackAlarms(alarms.modelLatencyAlarm, alarms.errorsAlarm); // roll a deployment back on them
  new DataQualityMonitor(scope, 'Drift', {
    endpoint, outputBucket: data, encryptionKey: key, network,
    baseline: MonitoringBaseline.fromBucket(data, 'baseline/statistics.json', 'baseline/constraints.json'),
    schedule: MonitoringSchedule.hourly(),
  });
  new InferenceApi(scope, 'Api', { endpoint, encryptionKey: key }); // IAM auth, throttling, access logs
  // snippet:end
  return endpoint;
}
