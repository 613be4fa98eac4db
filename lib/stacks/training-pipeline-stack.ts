import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage, Processor, SourceCode } from '../constructs/core';
import {
  Distribution,
  HyperparameterTuningJob,
  Hyperparameters,
  JoinSource,
  ObjectiveType,
  ParameterRange,
  ProcessingJob,
  RunReference,
  S3Location,
  ScalingType,
  TrainingInput,
  TrainingJob,
  TransformJob,
} from '../constructs/jobs';
import { Model } from '../constructs/hosting';
import {
  Condition,
  ConditionStep,
  CreateModelStep,
  FailStep,
  MlPipeline,
  PipelineParameter,
  ProcessingStep,
  PropertyFile,
  QualityCheckJob,
  QualityCheckStep,
  QualityCheckType,
  RegisterModelStep,
  RetryPolicy,
  TrainingStep,
  TransformStep,
  TuningStep,
} from '../constructs/pipelines';
import { IModelPackageGroup, ModelPackageGroup } from '../constructs/registry';
import { SageMakerExecutionRole } from '../constructs/security';
import { MlWorkflow } from '../constructs/workflows';
import { isResourceTypeAvailable } from '../private/region-support';
import { addLoanDefaultWorkflow } from './loan-default-workflow';
import { addLoanNotesInsightsWorkflow } from './loan-notes-insights-workflow';
import { MlPlatformStack } from './platform-stack';
import { ComputeProfile, profileInstances } from './profile';

/** Where the example scripts live (examples/scripts in the repository). */
export const EXAMPLE_SCRIPTS = path.join(__dirname, '..', '..', 'examples', 'scripts');

/** Properties of the {@link TrainingPipelineStack}. */
export interface TrainingPipelineStackProps extends StackProps {
  /** The platform the pipeline runs on (network, key, buckets). */
  readonly platform: MlPlatformStack;
}

/**
 * The loan-default training flow as a SageMaker pipeline: preprocess → train (XGBoost on CPU,
 * PyTorch on GPU; Spot with checkpoints) → evaluate → AUC check → register and create a model
 * → batch-score the test split; a tuning pipeline over the model's main hyperparameters; a weekly schedule.
 */
export class TrainingPipelineStack extends Stack {
  /** The training pipeline. */
  public readonly pipeline: MlPipeline;
  /** The hyperparameter tuning pipeline. */
  public readonly tuningPipeline: MlPipeline;
  /** The model registry (imported by name where CloudFormation cannot create it: the China regions). */
  public readonly registry: IModelPackageGroup;
  /** The role models of the loan-default flow run with. */
  public readonly modelRole: SageMakerExecutionRole;
  /** The Step Functions workflow of the same jobs (CPU profile). */
  public readonly workflow?: MlWorkflow;

  constructor(scope: Construct, id: string, props: TrainingPipelineStackProps) {
    super(scope, id, { description: 'Loan-default training pipeline on SageMaker Pipelines', ...props });
    const { network, key, dataBucket, artifactsBucket } = props.platform;
    const profile = props.platform.profile;
    const gpu = profile === ComputeProfile.GPU;
    const instances = profileInstances(profile);
    const common = { encryptionKey: key, network };
    const threshold = PipelineParameter.float('AucThreshold', 0.7);

    const prep = new ProcessingJob(this, 'Preprocess', {
      ...common,
      image: ContainerImage.sklearn('1.2-1'),
      script: path.join(EXAMPLE_SCRIPTS, 'preprocess.py'),
      // One train file per training instance: the train channel is sharded by S3 key.
      arguments: ['--train-shards', String(instances.trainingCount)],
      instanceType: instances.processing,
      inputs: [{ inputName: 'raw', source: S3Location.fromBucket(dataBucket, 'raw/') }],
      outputs: [
        ...['train', 'validation', 'test'].map((name) => ({ outputName: name, bucket: dataBucket, prefix: `prepared/${name}/` })),
        // The features as the endpoint receives them, for the inference stack's monitoring baseline.
        { outputName: 'baseline', bucket: dataBucket, prefix: 'baseline/' },
      ],
    });

    const checkpoints = { checkpointBucket: artifactsBucket };
    const train = gpu
      ? new TrainingJob(this, 'Train', {
          ...common,
          image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }),
          code: SourceCode.fromDirectory(path.join(EXAMPLE_SCRIPTS, 'pytorch'), { entryPoint: 'train.py' }),
          instanceType: instances.training,
          hyperparameters: Hyperparameters.of({ num_layers: '3', hidden_units: '64', learning_rate: '0.01', epochs: '20' }),
          metricDefinitions: [{ name: 'validation:auc', regex: 'validation:auc=([0-9\\.]+)' }],
          channels: {
            train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv' }),
            validation: TrainingInput.fromJobOutput(prep.output('validation'), { contentType: 'text/csv' }),
          },
          outputBucket: artifactsBucket,
          spot: { maxWait: Duration.hours(26), ...checkpoints },
          maxRuntime: Duration.hours(24),
        })
      : new TrainingJob(this, 'Train', {
          ...common,
          image: ContainerImage.xgboost('1.7-1'),
          instanceType: instances.training,
          instanceCount: instances.trainingCount,
          hyperparameters: Hyperparameters.xgboost({ maxDepth: 5, eta: 0.2, objective: 'binary:logistic', numRound: 100, evalMetric: 'auc' }),
          channels: {
            train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv', distribution: Distribution.SHARDED_BY_S3_KEY }),
            validation: TrainingInput.fromJobOutput(prep.output('validation'), { contentType: 'text/csv' }),
          },
          outputBucket: artifactsBucket,
          spot: { maxWait: Duration.hours(26), ...checkpoints },
          maxRuntime: Duration.hours(24),
        });

    const report = new PropertyFile({ name: 'EvaluationReport', outputName: 'evaluation', path: 'evaluation.json' });
    const evaluate = new ProcessingJob(this, 'Evaluate', {
      ...common,
      image: gpu ? ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.CPU }) : ContainerImage.xgboost('1.7-1'),
      // The PyTorch evaluation imports the network from train.py: it gets the whole folder.
      ...(gpu
        ? { code: SourceCode.fromDirectory(path.join(EXAMPLE_SCRIPTS, 'pytorch'), { entryPoint: 'evaluate.py' }) }
        : { script: path.join(EXAMPLE_SCRIPTS, 'evaluate.py') }),
      instanceType: instances.processing,
      inputs: [
        { inputName: 'model', source: S3Location.fromJobOutput(train.modelArtifacts), localPath: '/opt/ml/processing/model' },
        { inputName: 'test', source: S3Location.fromJobOutput(prep.output('test')), localPath: '/opt/ml/processing/test' },
      ],
      // One report per run: a registered version's model metrics point at its own run's report.
      outputs: [{ outputName: 'evaluation', bucket: artifactsBucket, prefix: `evaluation/${RunReference.executionId()}/` }],
    });

    // CloudFormation offers no AWS::SageMaker::ModelPackageGroup in the China regions (the
    // regions' resource provider schemas, see lib/private/region-support.ts): there the group is
    // created once outside CloudFormation (aws sagemaker create-model-package-group
    // --model-package-group-name loan-default-<profile>) and imported by name.
    this.registry = isResourceTypeAvailable(this, 'AWS::SageMaker::ModelPackageGroup')
      ? new ModelPackageGroup(this, 'Registry', {
        modelPackageGroupName: `loan-default-${profile}`,
        description: `Loan-default models (${profile} profile)`,
      })
      : ModelPackageGroup.fromModelPackageGroupName(this, 'Registry', `loan-default-${profile}`);
    // Real-time inference runs on the profile's inference instances (ml.p3 for GPU); batch scoring
    // runs on CPU instances, so it gets the CPU variant of the image.
    const inferenceImage = gpu ? ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }) : ContainerImage.xgboost('1.7-1');
    const batchImage = gpu ? ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.CPU }) : inferenceImage;
    // The PyTorch serving container loads the model through the inference script that train.py
    // packs into model.tar.gz under code/.
    const servingEnvironment = gpu ? { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code' } : undefined;
    this.modelRole = new SageMakerExecutionRole(this, 'ModelRole', { description: 'Loan-default models created by the pipeline' });
    this.modelRole.grantLogging();
    this.modelRole.grantMetrics();
    this.modelRole.grantKeyUse(key);
    this.modelRole.grantReadPrefix(artifactsBucket, 'models/');

    // The data quality baseline of this run's training features, encoded as the endpoint
    // receives them (the Preprocess step's baseline output): the Model Monitor analyzer computes
    // its statistics and constraints, and the registered version records them as its
    // drift-check baseline (DriftCheckBaselines) and data quality metrics (ModelDataQuality).
    const dataQuality = new QualityCheckJob(this, 'DataQualityBaseline', {
      ...common,
      checkType: QualityCheckType.DATA_QUALITY,
      baselineDataset: S3Location.fromJobOutput(prep.output('baseline')),
      outputBucket: artifactsBucket,
      instanceType: instances.processing,
    });

    const retry = [RetryPolicy.throttlingAndCapacity()];
    const prepStep = new ProcessingStep('Preprocess', prep, { retryPolicies: retry, cacheFor: Duration.days(7) });
    const trainStep = new TrainingStep('Train', train, { retryPolicies: retry });
    const evaluateStep = new ProcessingStep('Evaluate', evaluate, { propertyFiles: [report], retryPolicies: retry });
    // Baselining only (no earlier baseline to check against): each version keeps its own.
    const dataQualityStep = new QualityCheckStep('DataQualityBaseline', dataQuality, {
      skipCheck: true,
      registerNewBaseline: true,
      modelPackageGroup: this.registry,
    });
    const createModel = new CreateModelStep('CreateModel', { image: batchImage, modelDataUrl: trainStep.modelArtifactsUri, role: this.modelRole, environment: servingEnvironment });
    // The transform runs the model the CreateModel step makes; the job definition only needs
    // its role (no model resource is deployed for it).
    const batchModel = Model.fromModelAttributes(this, 'BatchModel', { modelName: 'created-by-the-pipeline', role: this.modelRole });
    const batch = new TransformJob(this, 'BatchScore', {
      model: batchModel,
      input: S3Location.fromJobOutput(prep.output('test')),
      contentType: 'text/csv',
      accept: 'text/csv',
      // The test split has the label first: the model gets the features only, and each output
      // line is the label and the score, joinable with the input row by position.
      inputFilter: '$[1:]',
      joinSource: JoinSource.INPUT,
      outputFilter: '$[0,-1]',
      outputBucket: artifactsBucket,
      outputPrefix: 'batch-transform/',
      instanceType: instances.transform,
      encryptionKey: key,
    });
    const condition = new ConditionStep('CheckAuc', {
      conditions: [Condition.greaterThanOrEqualTo(report.getNumber('binary_classification_metrics.auc.value'), threshold.asNumber())],
      ifSteps: [
        new RegisterModelStep('Register', {
          modelPackageGroup: this.registry,
          image: inferenceImage,
          modelDataUrl: trainStep.modelArtifactsUri,
          role: this.modelRole,
          modelMetrics: { step: evaluateStep, outputName: 'evaluation', fileName: 'evaluation.json' },
          driftCheckBaselines: { dataQuality: dataQualityStep },
          environment: servingEnvironment,
          inferenceInstanceTypes: [instances.inference.name],
          // The registered image is the real-time one: GPU instances for the GPU profile.
          transformInstanceTypes: [gpu ? instances.inference.name : instances.transform.name],
        }),
        createModel,
        new TransformStep('BatchScore', batch, { modelStep: createModel }),
      ],
      elseSteps: [new FailStep('AucTooLow', 'The model AUC is below the AucThreshold parameter; it was not registered.')],
    });
    this.pipeline = new MlPipeline(this, 'Pipeline', {
      pipelineName: `loan-default-${profile}`,
      description: 'Preprocess, train, evaluate and register the loan-default model',
      steps: [prepStep, trainStep, evaluateStep, dataQualityStep, condition],
      parameters: [threshold],
    });
    this.pipeline.scheduleWeekly();

    const tuning = new HyperparameterTuningJob(this, 'Tune', {
      trainingJob: train,
      objectiveMetric: 'validation:auc',
      objectiveType: ObjectiveType.MAXIMIZE,
      ranges: gpu
        ? [
            ParameterRange.continuous('learning_rate', 0.01, 0.1, ScalingType.LOGARITHMIC),
            ParameterRange.integer('num_layers', 2, 5),
            ParameterRange.categorical('hidden_units', ['32', '64', '128']),
          ]
        : [ParameterRange.continuous('eta', 0.01, 0.1, ScalingType.LOGARITHMIC), ParameterRange.integer('max_depth', 2, 5), ParameterRange.categorical('min_child_weight', ['1', '5', '10'])],
      maxJobs: 10,
      maxParallelJobs: 2,
    });
    this.tuningPipeline = new MlPipeline(this, 'TuningPipeline', {
      pipelineName: `loan-default-tuning-${profile}`,
      description: 'Hyperparameter tuning of the loan-default model',
      steps: [new ProcessingStep('Preprocess', prep), new TuningStep('Tune', tuning)],
    });

    // The same job definitions, run by Step Functions (a state machine with .sync service integrations):
    // preprocess -> Spot training -> create model -> batch transform, each state retried with JobRetry.serviceErrors().
    if (!gpu) {
      this.workflow = addLoanDefaultWorkflow(this, { prep, train, transform: batch, key, network });
      new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
      // A loan note's language and sentiment (Comprehend), its document image's moderation labels (Rekognition); none in China.
      const insights = addLoanNotesInsightsWorkflow(this, { dataBucket, key });
      if (insights) new CfnOutput(this, 'InsightsStateMachineArn', { value: insights.stateMachineArn });
    }

    new CfnOutput(this, 'PipelineName', { value: this.pipeline.pipelineName, description: 'Start with: sagemaker-cdk pipeline start <name> --wait' });
    new CfnOutput(this, 'TuningPipelineName', { value: this.tuningPipeline.pipelineName });
    new CfnOutput(this, 'ModelPackageGroupName', { value: this.registry.modelPackageGroupName });
  }
}
