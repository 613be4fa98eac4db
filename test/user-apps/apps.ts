/**
 * Five small apps written as a user of the package would write them: only the package entry's
 * imports, default (secure) props, and no cdk-nag acknowledgement anywhere in the app. Each must
 * synthesize with zero findings (see the *.spec.ts files beside this one).
 */
import * as path from 'path';
import { App, Duration, Size } from 'aws-cdk-lib';
import {
  ApprovedVersionParameter,
  CompilationJobState,
  ComprehendAnalysisJob,
  ComprehendJobAnalysis,
    ComprehendLanguage,
  ComprehendTextAnalysis,
  ComprehendTextState,
  NeoFramework,
  NeoTargetDevice,
  PollyVoice,
  RekognitionImageAnalysis,
  RekognitionImageState,
  SageMakerModelState,
  SpeechEngine,
  SpeechSynthesisTask,
  TranscriptionJob,
  TranscriptionLanguage,
  ClarifyCheckJob,
  ClarifyCheckStep,
  ClarifyCheckType,
  ClarifyValues,
  ContainerImage,
  DataQualityMonitor,
  DeploymentPolicy,
  Endpoint,
  EndpointAlarms,
  EndpointVariant,
  FeatureGroup,
  FeatureType,
  Hyperparameters,
  FrontFeature,
  InferenceApi,
  InferenceFront,
  InstanceType,
  MlKey,
  MlNetwork,
  MlPipeline,
  MlWorkflow,
  Model,
  ModelData,
  ModelPackageGroup,
  ModelPromotionPipeline,
  MonitoringBaseline,
  NotebookInstance,
  Processor,
  ProcessingJob,
  ProcessingStep,
  S3Location,
  SageMakerJobState,
  SecureBucket,
  SourceCode,
  StudioDomain,
  TrainingInput,
  TrainingJob,
  TrainingStep,
} from 'sagemaker-cdk-constructs';
import { testApp, testStack } from '../helpers';

/** The example scripts of the repository (a user's own scripts in their app). */
export const SCRIPTS = path.join(__dirname, '..', '..', 'examples', 'scripts');

/** (a) A scheduled training pipeline (data bias check, preprocess → train) in a private network. */
export function trainingPipelineApp(app: App = testApp()): App {
  const stack = testStack(app, 'TrainingPipeline');
  const key = new MlKey(stack, 'Key');
  const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const prep = new ProcessingJob(stack, 'Preprocess', {
    image: ContainerImage.sklearn('1.2-1'),
    script: path.join(SCRIPTS, 'preprocess.py'),
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [{ inputName: 'raw', source: S3Location.fromBucket(data, 'raw/') }],
    outputs: ['train', 'validation'].map((name) => ({ outputName: name, bucket: data, prefix: `prepared/${name}/` })),
    encryptionKey: key,
    network,
  });
  const train = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    hyperparameters: Hyperparameters.xgboost({ maxDepth: 5, eta: 0.2, objective: 'binary:logistic', numRound: 100, evalMetric: 'auc' }),
    channels: {
      train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv' }),
      validation: TrainingInput.fromJobOutput(prep.output('validation'), { contentType: 'text/csv' }),
    },
    outputBucket: data,
    encryptionKey: key,
    network,
  });
  // The pre-training bias of the raw data (CSV with a header row) on the protected attribute age.
  const bias = new ClarifyCheckJob(stack, 'DataBias', {
    checkType: ClarifyCheckType.DATA_BIAS,
    dataset: S3Location.fromBucket(data, 'raw/'),
    label: 'default',
    labelValues: ClarifyValues.numbers([1]),
    facets: [{ name: 'age', values: ClarifyValues.threshold(40) }],
    outputBucket: data,
    encryptionKey: key,
    network,
  });
  const pipeline = new MlPipeline(stack, 'Pipeline', {
    steps: [
      new ClarifyCheckStep('DataBias', bias, { skipCheck: true, registerNewBaseline: true }),
      new ProcessingStep('Preprocess', prep),
      new TrainingStep('Train', train),
    ],
  });
  pipeline.scheduleWeekly();
  return app;
}

/** (b) A VPC-only Studio domain with a user profile, a notebook instance and a feature group. */
export function studioApp(app: App = testApp()): App {
  const stack = testStack(app, 'Studio');
  const key = new MlKey(stack, 'Key');
  const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const domain = new StudioDomain(stack, 'Domain', { network, encryptionKey: key });
  domain.addUserProfile('Analyst', { userProfileName: 'analyst' });
  new NotebookInstance(stack, 'Notebook', { network, encryptionKey: key });
  new FeatureGroup(stack, 'Customers', {
    recordIdentifierFeatureName: 'customer_id',
    eventTimeFeatureName: 'event_time',
    features: [
      { featureName: 'customer_id', featureType: FeatureType.STRING },
      { featureName: 'event_time', featureType: FeatureType.FRACTIONAL },
      { featureName: 'credit_score', featureType: FeatureType.INTEGRAL },
    ],
    onlineStore: { encryptionKey: key },
    offlineStore: { bucket: data, prefix: 'feature-store/', encryptionKey: key },
  });
  return app;
}

/** (c) A model behind a two-instance endpoint with canary rollback alarms, drift monitoring and a REST API. */
export function inferenceApp(app: App = testApp()): App {
  const stack = testStack(app, 'Inference');
  const key = new MlKey(stack, 'Key');
  const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
  const bucket = new SecureBucket(stack, 'Models', { encryptionKey: key });
  const model = new Model(stack, 'Model', {
    containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'scoring/model.tar.gz') }],
    vpc: network.vpc,
    securityGroups: [network.endpointsSecurityGroup],
  });
  const endpoint = new Endpoint(stack, 'Endpoint', {
    endpointName: 'scoring',
    variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 2 })],
    dataCapture: { destination: bucket, samplingPercentage: 100 },
    encryptionKey: key,
    deployment: DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10) }),
  });
  const alarms = new EndpointAlarms(stack, 'Alarms', { variant: endpoint.variant('AllTraffic'), encryptionKey: key });
  endpoint.addRollbackAlarms(alarms.modelLatencyAlarm, alarms.errorsAlarm);
  new DataQualityMonitor(stack, 'Drift', {
    endpoint,
    outputBucket: bucket,
    baseline: MonitoringBaseline.fromBucket(bucket, 'scoring/baseline/statistics.json', 'scoring/baseline/constraints.json'),
    encryptionKey: key,
    network,
  });
  new InferenceApi(stack, 'Api', { endpoint, encryptionKey: key });
  // The same endpoint behind a second API whose Lambda front validates and encodes JSON requests.
  const front = new InferenceFront(stack, 'Front', {
    endpoint,
    features: [FrontFeature.numeric('age', { min: 18 }), FrontFeature.oneHot('home_ownership', ['OWN', 'RENT'])],
  });
  new InferenceApi(stack, 'FrontApi', { endpoint, encryptionKey: key, handler: front.function });
  return app;
}

/** (d) A PyTorch GPU training job on ml.p3.2xlarge, run by Step Functions. */
export function gpuWorkflowApp(app: App = testApp()): App {
  const stack = testStack(app, 'GpuWorkflow');
  const key = new MlKey(stack, 'Key');
  const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const train = new TrainingJob(stack, 'Train', {
    image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }),
    code: SourceCode.fromDirectory(path.join(SCRIPTS, 'pytorch'), { entryPoint: 'train.py' }),
    instanceType: InstanceType.ML_P3_2XLARGE,
    hyperparameters: Hyperparameters.of({ epochs: '20' }),
    channels: {
      train: TrainingInput.fromBucket(data, 'prepared/train/', { contentType: 'text/csv' }),
      validation: TrainingInput.fromBucket(data, 'prepared/validation/', { contentType: 'text/csv' }),
    },
    outputBucket: data,
    volumeSize: Size.gibibytes(50),
    encryptionKey: key,
    network,
  });
  new MlWorkflow(stack, 'Workflow', {
    states: [new SageMakerJobState(stack, 'TrainState', { stateName: 'Train', job: train })],
    encryptionKey: key,
  });
  return app;
}

/**
 * (e) The MLOps loop: a model serving the approved version of a registry that a stack parameter
 * selects, and the promotion pipeline that sets that parameter in a staging and a production
 * stack after a smoke test of the staging endpoint.
 */
export function mlopsApp(app: App = testApp()): App {
  const stack = testStack(app, 'MlOps');
  const key = new MlKey(stack, 'Key');
  const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
  const models = new SecureBucket(stack, 'Models', { encryptionKey: key });
  const registry = new ModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'scoring' });
  const selected = new ApprovedVersionParameter(stack, 'ModelVersionArn', registry, { artifactsBucket: models, artifactsPrefix: 'models/', image: ContainerImage.xgboost('1.7-1') });
  const model = new Model(stack, 'Model', {
    containers: [{ modelPackage: selected.version }],
    vpc: network.vpc,
    securityGroups: [network.endpointsSecurityGroup],
  });
  const endpoint = new Endpoint(stack, 'Endpoint', {
    endpointName: 'scoring-staging',
    variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })],
    encryptionKey: key,
  });
  new ModelPromotionPipeline(stack, 'Promotion', {
    modelPackageGroup: registry,
    staging: { stackName: 'ScoringStaging', parameterName: selected.parameterName, smokeTest: { endpoint, body: '34,52000', contentType: 'text/csv' } },
    production: { stackName: 'ScoringProduction', parameterName: selected.parameterName },
    encryptionKey: key,
  });
  return app;
}

/**
 * (f) Managed AI services and Neo in Step Functions: a call transcribed (Mandarin), the sentiment
 * of the transcripts (batch) and of a note, a scanned document's labels, a summary read aloud;
 * and an XGBoost model trained, compiled for ml.c5 and made a model.
 */
export function aiServicesApp(app: App = testApp()): App {
  const stack = testStack(app, 'AiServices');
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  new MlWorkflow(stack, 'Insights', {
    encryptionKey: key,
    states: [
      new TranscriptionJob(stack, 'Transcribe', { mediaBucket: data, mediaKey: 'calls/latest.wav', languageCode: TranscriptionLanguage.ZH_CN, outputBucket: data }),
      new ComprehendAnalysisJob(stack, 'Sentiment', {
        analysis: ComprehendJobAnalysis.SENTIMENT,
        languageCode: ComprehendLanguage.CHINESE_SIMPLIFIED,
        inputBucket: data,
        inputKeyPrefix: 'transcripts/',
        outputBucket: data,
      }),
      new ComprehendTextState(stack, 'NoteSentiment', { analysis: ComprehendTextAnalysis.SENTIMENT, text: '$.note', languageCode: ComprehendLanguage.ENGLISH }),
      new RekognitionImageState(stack, 'DocumentLabels', { analysis: RekognitionImageAnalysis.LABELS, bucket: data, key: 'documents/latest.png' }),
      new SpeechSynthesisTask(stack, 'Speak', { text: '$.summary', voice: PollyVoice.ZHIYU, engine: SpeechEngine.NEURAL, outputBucket: data }),
    ],
  });
  const train = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.3-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    hyperparameters: Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: 100 }),
    channels: { train: TrainingInput.fromBucket(data, 'prepared/train/', { contentType: 'text/csv' }) },
    outputBucket: data,
    encryptionKey: key,
  });
  const trainState = new SageMakerJobState(stack, 'TrainState', { stateName: 'Train', job: train });
  const compile = new CompilationJobState(stack, 'Compile', {
    trainingState: trainState,
    framework: NeoFramework.XGBOOST,
    targetDevice: NeoTargetDevice.ML_C5,
    outputBucket: data,
    encryptionKey: key,
  });
  new MlWorkflow(stack, 'CompileWorkflow', {
    encryptionKey: key,
    states: [
      trainState,
      compile,
      new SageMakerModelState(stack, 'CompiledModel', {
        compilationState: compile,
        image: ContainerImage.neoInference({ framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 }),
        encryptionKey: key,
      }),
    ],
  });
  return app;
}
