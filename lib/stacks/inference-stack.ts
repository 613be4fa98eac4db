import { CfnOutput, Duration, Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage, ModelData, Processor } from '../constructs/core';
import {
  DeploymentPolicy,
  Endpoint,
  EndpointAlarms,
  EndpointDashboard,
  EndpointVariant,
  InferenceApi,
  Model,
} from '../constructs/hosting';
import { S3Location } from '../constructs/jobs';
import { DataQualityMonitor, MonitorAlerts, MonitoringBaseline, MonitoringSchedule } from '../constructs/monitoring';
import { MlPlatformStack } from './platform-stack';
import { ComputeProfile, profileInstances } from './profile';

/** Properties of the {@link InferenceStack}. */
export interface InferenceStackProps extends StackProps {
  /** The platform (network, key, buckets). */
  readonly platform: MlPlatformStack;
  /**
   * The key of the trained `model.tar.gz` in the artifacts bucket. SageMaker checks that it
   * exists when the model is created, so run the training pipeline first.
   * @default 'models/loan-default/model.tar.gz'
   */
  readonly modelDataKey?: string;
}

/**
 * Real-time inference for the loan-default model: an endpoint in the private network with
 * autoscaling (1-4 instances, 70 invocations per instance), 100 % data capture, the
 * invocations, latency and 5xx alarms, a dashboard, blue/green deployments (canary with two or more instances, all at once
 * with one) that roll back on the alarms, and a REST API; in the CPU profile also a serverless
 * endpoint with its own model outside the VPC.
 */
export class InferenceStack extends Stack {
  /** The real-time endpoint. */
  public readonly endpoint: Endpoint;
  /** The serverless endpoint (CPU profile only). */
  public readonly serverlessEndpoint?: Endpoint;
  /** The REST API in front of the real-time endpoint. */
  public readonly api: InferenceApi;
  /** The operational alarms of the endpoint. */
  public readonly alarms: EndpointAlarms;
  /** The data quality monitor of the endpoint. */
  public readonly monitor: DataQualityMonitor;

  constructor(scope: Construct, id: string, props: InferenceStackProps) {
    super(scope, id, { description: 'Loan-default real-time inference on SageMaker', ...props });
    const { network, key, artifactsBucket } = props.platform;
    const profile = props.platform.profile;
    const gpu = profile === ComputeProfile.GPU;
    const instances = profileInstances(profile);
    const modelData = ModelData.fromBucket(artifactsBucket, props.modelDataKey ?? 'models/loan-default/model.tar.gz');

    const model = new Model(this, 'Model', {
      containers: [
        {
          image: gpu ? ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }) : ContainerImage.xgboost('1.7-1'),
          modelData,
        },
      ],
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      // Hosted models get the endpoints' own group: no traffic with jobs or notebooks.
      securityGroups: [network.endpointsSecurityGroup],
    });

    // A fixed endpoint name (safe: the endpoint updates in place) lets the alarms on its
    // metrics roll back its own deployments without a dependency cycle.
    this.endpoint = new Endpoint(this, 'Endpoint', {
      endpointName: `loan-default-${profile}`,
      variants: [EndpointVariant.instance({ model, instanceType: instances.inference, initialInstanceCount: instances.inferenceCount, initialVariantWeight: 1 })],
      dataCapture: { destination: artifactsBucket, prefix: 'data-capture/', samplingPercentage: 100, encryptionKey: key },
      encryptionKey: instances.inference.hasLocalNvmeStorage ? undefined : key,
      // SageMaker needs the canary to be at most half of the variant's instances. The GPU
      // profile runs one ml.p3 instance, so a canary would be the whole fleet: it deploys blue/green
      // all at once, and the rollback alarms below are watched for a 10-minute baking period
      // before the old instance is let go.
      // (A second ml.p3 instance only to allow a canary would double the cost.) The CPU profile's
      // two instances take a 10 % canary, which is one instance.
      deployment:
        instances.inferenceCount >= 2
          ? DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10), bakeTime: Duration.minutes(10) })
          : DeploymentPolicy.allAtOnce({ bakingPeriod: Duration.minutes(10), bakeTime: Duration.minutes(10) }),
    });
    const variant = this.endpoint.variant('AllTraffic');
    variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 }).scaleOnInvocations({
      targetInvocationsPerInstance: 70,
      scaleInCooldown: Duration.seconds(300),
      scaleOutCooldown: Duration.seconds(300),
    });
    // The alarm topic gets its own key (not the data key): its key policy lets CloudWatch and
    // EventBridge use it, conditioned on this account's alarms and rules.
    this.alarms = new EndpointAlarms(this, 'Alarms', { variant, maxInvocations: 1000, maxModelLatency: Duration.millis(100), period: Duration.seconds(300), evaluationPeriods: 2 });
    this.endpoint.addRollbackAlarms(this.alarms.modelLatencyAlarm, this.alarms.errorsAlarm);
    new EndpointDashboard(this, 'Dashboard', { endpoint: this.endpoint });
    this.api = new InferenceApi(this, 'Api', { endpoint: this.endpoint, encryptionKey: key });

    // Data quality monitoring of the captured requests against a baseline computed at deploy
    // time from the data bucket's baseline/ prefix, which the training pipeline's Preprocess step
    // writes: the training features encoded exactly as the endpoint receives them (no id, no
    // label, a header naming them), so drift is measured in the model's own feature space.
    const baseline = MonitoringBaseline.computeAtDeployTime(this, 'Baseline', {
      dataset: S3Location.fromBucket(props.platform.dataBucket, 'baseline/'),
      outputBucket: artifactsBucket,
      outputPrefix: 'monitoring/baseline/',
      encryptionKey: key,
      network,
    });
    this.monitor = new DataQualityMonitor(this, 'DataQuality', {
      endpoint: this.endpoint,
      outputBucket: artifactsBucket,
      baseline,
      schedule: MonitoringSchedule.hourly(),
      encryptionKey: key,
      network,
    });
    new MonitorAlerts(this, 'DriftAlerts', {
      monitor: this.monitor,
      topic: this.alarms.topic,
      thresholds: ['credit_score', 'debt_to_income', 'annual_income'].map((feature) => ({ metricName: `feature_baseline_drift_${feature}`, threshold: 0.1 })),
    });

    if (!gpu) {
      // Serverless Inference supports neither a VPC nor network isolation, so the serverless
      // endpoint serves its own model of the same artifacts, outside the VPC; SageMaker runs it
      // on its own serverless fleet.
      const serverlessModel = new Model(this, 'ServerlessModel', {
        containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData }],
        networkIsolation: false,
      });
      this.serverlessEndpoint = new Endpoint(this, 'ServerlessEndpoint', {
        variants: [EndpointVariant.serverless({ model: serverlessModel, memorySize: Size.mebibytes(2048), maxConcurrency: 50, provisionedConcurrency: 2 })],
      });
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
        Validations.of(this.serverlessEndpoint.endpointConfig).acknowledge({
          id: `${pack}-SageMakerEndpointConfigurationKMSKeyConfigured`,
          reason: 'Serverless variants have no ML storage volume for a customer key to encrypt (the endpoint refuses encryptionKey with serverless variants); captured and stored data stay in the KMS-encrypted buckets.',
        });
      }
      new CfnOutput(this, 'ServerlessEndpointName', { value: this.serverlessEndpoint.endpointName });
    }

    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName, description: 'Check with: sagemaker-cdk endpoint status <name>' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'POST with SigV4 (IAM) and a Content-Type header' });
  }
}
