/**
 * Builders for the scaling figures of `npm run bench`: a feature group at SageMaker's maximum
 * of 2,500 features, and 100 monitored endpoints (alarms and a dashboard each) spread over
 * stacks as an organisation would deploy them.
 */
import { App, Stack, aws_sns as sns } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, ModelData } from '../lib/constructs/core';
import { FeatureDefinition, FeatureGroup, FeatureType } from '../lib/constructs/feature-store';
import { Endpoint, EndpointAlarms, EndpointDashboard, EndpointVariant, Model } from '../lib/constructs/hosting';
import { MlKey, SecureBucket } from '../lib/constructs/security';

const ENV = { account: '123456789012', region: 'us-east-1' };
const TYPES = [FeatureType.STRING, FeatureType.INTEGRAL, FeatureType.FRACTIONAL];

/** One feature group with `features` features (record id and event time included), online and offline stores. */
export function buildFeatureGroup(app: App, features: number): void {
  const stack = new Stack(app, `FeatureGroup${features}`, { env: ENV });
  const definitions: FeatureDefinition[] = [
    { featureName: 'record_id', featureType: FeatureType.STRING },
    { featureName: 'event_time', featureType: FeatureType.FRACTIONAL },
  ];
  for (let i = definitions.length; i < features; i++) definitions.push({ featureName: `feature_${i}`, featureType: TYPES[i % TYPES.length] });
  new FeatureGroup(stack, 'Group', {
    features: definitions,
    recordIdentifierFeatureName: 'record_id',
    eventTimeFeatureName: 'event_time',
    onlineStore: {},
    offlineStore: { bucket: new SecureBucket(stack, 'Offline') },
  });
}

/**
 * `endpoints` real-time endpoints, `perStack` to a stack, each with its model, alarms
 * (invocations, latency, 5xx) notifying a shared encrypted topic of its stack, and a dashboard.
 */
export function buildMonitoredEndpoints(app: App, endpoints: number, perStack: number): void {
  let stack: Stack | undefined;
  let bucket: SecureBucket | undefined;
  let topic: sns.Topic | undefined;
  for (let i = 0; i < endpoints; i++) {
    if (i % perStack === 0) {
      stack = new Stack(app, `Endpoints${i / perStack}`, { env: ENV });
      bucket = new SecureBucket(stack, 'Models');
      topic = new sns.Topic(stack, 'Alarms', { masterKey: new MlKey(stack, 'AlarmKey'), enforceSSL: true });
    }
    const scope = stack as Stack;
    const model = new Model(scope, `Model${i}`, {
      containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket as SecureBucket, `models/m${i}/model.tar.gz`) }],
    });
    const endpoint = new Endpoint(scope, `Endpoint${i}`, { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
    new EndpointAlarms(scope, `Alarms${i}`, { variant: endpoint.variant('AllTraffic'), topic });
    new EndpointDashboard(scope, `Dashboard${i}`, { endpoint });
  }
}
