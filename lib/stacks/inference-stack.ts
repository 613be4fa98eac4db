import { CfnOutput, Duration, Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage, Processor } from '../constructs/core';
import {
  DeploymentPolicy,
  Endpoint,
  EndpointAlarms,
  EndpointDashboard,
  EndpointVariant,
  InferenceApi,
  InferenceFront,
  Model,
} from '../constructs/hosting';
import { S3Location } from '../constructs/jobs';
import {
  DataQualityMonitor,
  ModelBiasMonitor,
  ModelQualityMonitor,
  MonitorAlerts,
  MonitoringBaseline,
  MonitoringSchedule,
  ProblemType,
} from '../constructs/monitoring';
import { ApprovedVersionParameter, IModelPackageGroup, ModelPackageResolver } from '../constructs/registry';
import { isResourceTypeAvailable } from '../private/region-support';
import { MlPlatformStack } from './platform-stack';
import { LoanFeatures } from './loan-features';
import { ComputeProfile, profileInstances } from './profile';

/** Which environment an {@link InferenceStack} is. */
export enum InferenceStage {
  /**
   * Production: the autoscaled endpoint (canary deployments with alarm rollback), data capture,
   * the data quality monitor, a dashboard, the REST API and (CPU) the serverless endpoint.
   */
  PRODUCTION = 'production',
  /**
   * Staging: one instance of the same endpoint with the same rollback alarms, where a promotion
   * deploys and smoke-tests a version before production; nothing else.
   */
  STAGING = 'staging',
}

/** Properties of the {@link InferenceStack}. */
export interface InferenceStackProps extends StackProps {
  /** The platform (network, key, buckets). */
  readonly platform: MlPlatformStack;
  /**
   * The model registry whose approved versions the endpoint serves (the training stack's).
   * The stack's `ModelVersionArn` parameter selects the version: empty (the default) for the
   * newest Approved version when the stack is created; the promotion pipeline sets it.
   */
  readonly registry: IModelPackageGroup;
  /**
   * Staging or production.
   * @default InferenceStage.PRODUCTION
   */
  readonly stage?: InferenceStage;
}

/**
 * Real-time inference for the loan-default model, served from the model registry: the version the
 * stack's `ModelVersionArn` parameter names (checked to be Approved at deploy time), or the newest
 * approved one. Production: an endpoint in the private network with autoscaling (1-4 instances,
 * 70 invocations per instance), 100 % data capture, the invocations, latency and 5xx alarms, a
 * dashboard, blue/green deployments (canary with two or more instances, all at once with one) that
 * roll back on the alarms, a data quality monitor and a REST API; in the CPU profile also a
 * serverless endpoint with its own model outside the VPC. Staging: one instance with the rollback
 * alarms only.
 */
export class InferenceStack extends Stack {
  /** The real-time endpoint. */
  public readonly endpoint: Endpoint;
  /** The stack parameter that selects the served model version (set by the promotion pipeline). */
  public readonly modelVersion: ApprovedVersionParameter;
  /** The serverless endpoint (CPU production only). */
  public readonly serverlessEndpoint?: Endpoint;
  /** The REST API in front of the real-time endpoint (production only). */
  public readonly api?: InferenceApi;
  /** The Lambda front of the REST API (production only). */
  public readonly front?: InferenceFront;
  /** The operational alarms of the endpoint. */
  public readonly alarms: EndpointAlarms;
  /** The data quality monitor of the endpoint (production only). */
  public readonly monitor?: DataQualityMonitor;
  /** The model quality monitor of the endpoint (CPU production only). */
  public readonly qualityMonitor?: ModelQualityMonitor;
  /** The model bias monitor of the endpoint (CPU production only). */
  public readonly biasMonitor?: ModelBiasMonitor;

  constructor(scope: Construct, id: string, props: InferenceStackProps) {
    const stage = props.stage ?? InferenceStage.PRODUCTION;
    const staging = stage === InferenceStage.STAGING;
    super(scope, id, { description: `Loan-default real-time inference on SageMaker (${stage})`, ...props });
    const { network, key, artifactsBucket } = props.platform;
    const profile = props.platform.profile;
    const gpu = profile === ComputeProfile.GPU;
    const instances = profileInstances(profile);
    const inferenceCount = staging ? 1 : instances.inferenceCount;

    // The registered versions name their image and their artifacts under the training jobs'
    // models/ prefix: the model roles may pull that image and read (and decrypt) those artifacts.
    // The deploy-time resolver of the version runs in the private network with the platform key.
    new ModelPackageResolver(this, 'ModelPackageResolver', {
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      securityGroups: [network.handlersSecurityGroup],
      encryptionKey: key,
    });
    const image = gpu ? ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }) : ContainerImage.xgboost('1.7-1');
    this.modelVersion = new ApprovedVersionParameter(this, 'ModelVersionArn', props.registry, { artifactsBucket, artifactsPrefix: 'models/', image });

    const model = new Model(this, 'Model', {
      containers: [{ modelPackage: this.modelVersion.version }],
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      // Hosted models get the endpoints' own group: no traffic with jobs or notebooks.
      securityGroups: [network.endpointsSecurityGroup],
    });

    // A fixed endpoint name (safe: the endpoint updates in place) lets the alarms on its
    // metrics roll back its own deployments without a dependency cycle.
    this.endpoint = new Endpoint(this, 'Endpoint', {
      endpointName: staging ? `loan-default-${profile}-staging` : `loan-default-${profile}`,
      variants: [EndpointVariant.instance({ model, instanceType: instances.inference, initialInstanceCount: inferenceCount, initialVariantWeight: 1 })],
      dataCapture: staging ? undefined : { destination: artifactsBucket, prefix: 'data-capture/', samplingPercentage: 100, encryptionKey: key },
      encryptionKey: instances.inference.hasLocalNvmeStorage ? undefined : key,
      // SageMaker needs the canary to be at most half of the variant's instances. The GPU
      // profile (and staging) runs one instance, so a canary would be the whole fleet: it deploys
      // blue/green all at once, and the rollback alarms below are watched for a 10-minute baking
      // period before the old instance is let go.
      // (A second ml.p3 instance only to allow a canary would double the cost.) The CPU profile's
      // two production instances take a 10 % canary, which is one instance.
      deployment:
        inferenceCount >= 2
          ? DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10), bakeTime: Duration.minutes(10) })
          : DeploymentPolicy.allAtOnce({ bakingPeriod: Duration.minutes(10), bakeTime: Duration.minutes(10) }),
    });
    const variant = this.endpoint.variant('AllTraffic');
    // The alarm topic gets its own key (not the data key): its key policy lets CloudWatch and
    // EventBridge use it, conditioned on this account's alarms and rules.
    this.alarms = new EndpointAlarms(this, 'Alarms', { variant, maxInvocations: 1000, maxModelLatency: Duration.millis(100), period: Duration.seconds(300), evaluationPeriods: 2 });
    this.endpoint.addRollbackAlarms(this.alarms.modelLatencyAlarm, this.alarms.errorsAlarm);
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName, description: 'Check with: sagemaker-cdk endpoint status <name>' });
    new CfnOutput(this, 'ModelVersionParameter', { value: this.modelVersion.parameterName, description: 'The stack parameter that selects the served model version' });
    if (staging) return;

    variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 }).scaleOnInvocations({
      targetInvocationsPerInstance: 70,
      scaleInCooldown: Duration.seconds(300),
      scaleOutCooldown: Duration.seconds(300),
    });
    new EndpointDashboard(this, 'Dashboard', { endpoint: this.endpoint });
    // The REST API's Lambda front takes an applicant as JSON, checks and encodes it the way the
    // Preprocess step does, passes the request's id as the inference id (which ground truth
    // uploads name) and answers the probability and a label.
    this.front = new InferenceFront(this, 'Front', {
      endpoint: this.endpoint,
      features: LoanFeatures.frontFeatures(),
      positiveLabel: 'default',
      negativeLabel: 'repaid',
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      securityGroups: [network.handlersSecurityGroup],
      encryptionKey: key,
    });
    this.api = new InferenceApi(this, 'Api', { endpoint: this.endpoint, encryptionKey: key, handler: this.front.function });

    // CloudFormation offers no monitoring job definitions (AWS::SageMaker::*JobDefinition) in the
    // China regions (the regions' resource provider schemas, see lib/private/region-support.ts):
    // there the endpoint still captures its traffic, but runs no monitors.
    const monitoring = isResourceTypeAvailable(this, 'AWS::SageMaker::DataQualityJobDefinition');
    if (monitoring) {
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
    }

    if (!gpu) {
      if (monitoring) {
        // Model quality and bias need the true outcome of each scored applicant: upload it under
        // ground-truth/ (sagemaker-cdk monitor ground-truth <inference id, label CSV>) and SageMaker
        // joins it with the captured predictions by inference id. The XGBoost model answers one
        // probability per row (column 0 of its CSV output).
        const groundTruth = { groundTruthBucket: artifactsBucket, groundTruthPrefix: 'ground-truth/' };
        this.qualityMonitor = new ModelQualityMonitor(this, 'ModelQuality', {
          endpoint: this.endpoint,
          outputBucket: artifactsBucket,
          problemType: ProblemType.BINARY_CLASSIFICATION,
          ...groundTruth,
          probabilityAttribute: '0',
          probabilityThreshold: 0.5,
          instanceType: instances.processing,
          volumeSize: Size.gibibytes(20),
          maxRuntime: Duration.seconds(1800),
          schedule: MonitoringSchedule.hourly(),
          encryptionKey: key,
          network,
        });
        // The same AUC bar the training pipeline's AucThreshold sets for registering a version.
        new MonitorAlerts(this, 'QualityAlerts', {
          monitor: this.qualityMonitor,
          topic: this.alarms.topic,
          thresholds: [{ metricName: 'auc', threshold: 0.7, alarmWhenBelow: true }],
        });
        // Post-training bias for applicants over 60 (age is a protected attribute for credit):
        // do they get the positive outcome (a predicted default) more often than the others?
        this.biasMonitor = new ModelBiasMonitor(this, 'ModelBias', {
          endpoint: this.endpoint,
          outputBucket: artifactsBucket,
          headers: LoanFeatures.headers(),
          label: LoanFeatures.LABEL,
          labelValuesOrThreshold: ['1'],
          facets: [{ nameOrIndex: 'age', valuesOrThreshold: ['60'] }],
          ...groundTruth,
          probabilityThreshold: 0.5,
          instanceType: instances.processing,
          maxRuntime: Duration.seconds(1800),
          schedule: MonitoringSchedule.hourly(),
          encryptionKey: key,
          network,
        });
      }

      // Serverless Inference supports neither a VPC nor network isolation, so the serverless
      // endpoint serves its own model of the same registered version, outside the VPC; SageMaker
      // runs it on its own serverless fleet.
      const serverlessModel = new Model(this, 'ServerlessModel', {
        containers: [{ modelPackage: this.modelVersion.version }],
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
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'POST an applicant as JSON ({"id": ..., "records": [{...}]}) with SigV4 (IAM)' });
    new CfnOutput(this, 'GroundTruthLocation', { value: `s3://${artifactsBucket.bucketName}/ground-truth/`, description: 'Upload outcomes here: sagemaker-cdk monitor ground-truth <csv> --stack <this stack> --output GroundTruthLocation' });
  }
}
