import { Tokenization, aws_iam as iam } from 'aws-cdk-lib';
import type { CreateHyperParameterTuningJobRequest, HyperParameterTuningJobStrategyType, ParameterRanges } from '@aws-sdk/client-sagemaker';
import { Construct } from 'constructs';
import { isConcrete, isConcreteText, throwIfProblems } from '../../private/errors';
import { IJobDefinition, JobKind } from './job-definition';
import { TrainingJob } from './training-job';

/** Whether the tuning objective is maximized or minimized. */
export enum ObjectiveType {
  /** Larger is better (AUC, accuracy). */
  MAXIMIZE = 'Maximize',
  /** Smaller is better (loss, RMSE). */
  MINIMIZE = 'Minimize',
}

/** How a numeric range is searched. */
export enum ScalingType {
  /** SageMaker chooses. */
  AUTO = 'Auto',
  /** Linear scale. */
  LINEAR = 'Linear',
  /** Logarithmic scale (ranges above 0 only). */
  LOGARITHMIC = 'Logarithmic',
  /** Reverse logarithmic (continuous ranges within [0, 1) only). */
  REVERSE_LOGARITHMIC = 'ReverseLogarithmic',
}

/** The search strategy. */
export enum TuningStrategy {
  /** Bayesian optimization. */
  BAYESIAN = 'Bayesian',
  /** Random search. */
  RANDOM = 'Random',
  /** Hyperband (early stops poor configurations itself). */
  HYPERBAND = 'Hyperband',
  /** Grid search over categorical (and integer) values. */
  GRID = 'Grid',
}

/** How a tuning job reuses the results of earlier tuning jobs. */
export enum WarmStartType {
  /** The same data and training image; only the ranges or limits change. */
  IDENTICAL_DATA_AND_ALGORITHM = 'IdenticalDataAndAlgorithm',
  /** Different data, image or static hyperparameters. */
  TRANSFER_LEARNING = 'TransferLearning',
}

/** The kinds of hyperparameter ranges. */
export enum ParameterRangeKind {
  /** Any number between a minimum and a maximum. */
  CONTINUOUS = 'Continuous',
  /** Whole numbers between a minimum and a maximum. */
  INTEGER = 'Integer',
  /** One of a list of values. */
  CATEGORICAL = 'Categorical',
}

/**
 * A hyperparameter range to search.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-define-ranges.html
 */
export class ParameterRange {
  /** A continuous range, e.g. `learning_rate` 0.01 to 0.1. */
  public static continuous(name: string, minValue: number, maxValue: number, scaling: ScalingType = ScalingType.AUTO): ParameterRange {
    return new ParameterRange(ParameterRangeKind.CONTINUOUS, name, minValue, maxValue, [], scaling);
  }

  /** An integer range, e.g. `num_layers` 2 to 5. */
  public static integer(name: string, minValue: number, maxValue: number, scaling: ScalingType = ScalingType.AUTO): ParameterRange {
    return new ParameterRange(ParameterRangeKind.INTEGER, name, minValue, maxValue, [], scaling);
  }

  /** A set of values, e.g. `hidden_units` 32, 64, 128. */
  public static categorical(name: string, values: string[]): ParameterRange {
    return new ParameterRange(ParameterRangeKind.CATEGORICAL, name, undefined, undefined, values, undefined);
  }

  private constructor(
    /** Continuous, integer or categorical. */
    public readonly rangeKind: ParameterRangeKind,
    /** The hyperparameter name. */
    public readonly name: string,
    /** The minimum of a numeric range. */
    public readonly minValue: number | undefined,
    /** The maximum of a numeric range. */
    public readonly maxValue: number | undefined,
    /** The values of a categorical range (empty for numeric ones). */
    public readonly categoricalValues: string[],
    /** The scaling of a numeric range. */
    public readonly scaling: ScalingType | undefined,
  ) {}
}

/** Properties of a {@link HyperparameterTuningJob}. */
export interface HyperparameterTuningJobProps {
  /** The training job to tune: its image, channels, resources and static hyperparameters. */
  readonly trainingJob: TrainingJob;
  /** The metric to optimize, e.g. `validation:auc`. */
  readonly objectiveMetric: string;
  /**
   * Maximize or minimize the metric.
   * @default ObjectiveType.MAXIMIZE
   */
  readonly objectiveType?: ObjectiveType;
  /** The ranges to search. */
  readonly ranges: ParameterRange[];
  /**
   * The search strategy.
   * @default TuningStrategy.BAYESIAN
   */
  readonly strategy?: TuningStrategy;
  /** The most training jobs in total, e.g. 10. */
  readonly maxJobs: number;
  /** The most training jobs at a time, e.g. 2. */
  readonly maxParallelJobs: number;
  /**
   * Stop training jobs early when they are unlikely to beat the best so far.
   * @default true (not with Hyperband, which stops early itself)
   */
  readonly earlyStopping?: boolean;
  /**
   * Earlier tuning jobs whose results this one starts from (warm start).
   * @default - none
   */
  readonly warmStartParentJobNames?: string[];
  /**
   * How the earlier tuning jobs' results are reused.
   * @default WarmStartType.IDENTICAL_DATA_AND_ALGORITHM
   */
  readonly warmStartType?: WarmStartType;
}

/**
 * A hyperparameter tuning job definition built from a training job.
 */
export class HyperparameterTuningJob extends Construct implements IJobDefinition {
  public readonly kind = JobKind.TUNING;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  /** The tuned training job. */
  public readonly trainingJob: TrainingJob;
  private readonly props: HyperparameterTuningJobProps;

  constructor(scope: Construct, id: string, props: HyperparameterTuningJobProps) {
    super(scope, id);
    const problems: string[] = [];
    const { maxJobs, maxParallelJobs } = props;
    if (isConcrete(maxJobs) && (maxJobs < 1 || !Number.isInteger(maxJobs))) problems.push(`maxJobs is ${maxJobs}, but must be a whole number of at least 1.`);
    if (isConcrete(maxParallelJobs) && (maxParallelJobs < 1 || !Number.isInteger(maxParallelJobs))) problems.push(`maxParallelJobs is ${maxParallelJobs}, but must be a whole number of at least 1.`);
    if (isConcrete(maxJobs) && isConcrete(maxParallelJobs) && maxParallelJobs > maxJobs) {
      problems.push(`maxParallelJobs ${maxParallelJobs} is above maxJobs ${maxJobs}; lower maxParallelJobs or raise maxJobs.`);
    }
    if (props.ranges.length === 0) problems.push('ranges is empty; give at least one ParameterRange to search.');
    const parents = props.warmStartParentJobNames ?? [];
    if (parents.length > 5) problems.push(`warmStartParentJobNames has ${parents.length} jobs, but a tuning job warm-starts from at most 5.`);
    const names = props.ranges.map((r) => r.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length) problems.push(`hyperparameter ranges repeat: ${[...new Set(repeated)].join(', ')}.`);
    for (const range of props.ranges) {
      if (range.rangeKind === ParameterRangeKind.CATEGORICAL) {
        if (range.categoricalValues.length === 0) problems.push(`categorical range "${range.name}" has no values; give at least one.`);
      } else {
        const { minValue: min, maxValue: max } = range;
        const kind = range.rangeKind.toLowerCase();
        if (isConcrete(min) && isConcrete(max) && min >= max) {
          problems.push(`${kind} range "${range.name}" has min ${min} >= max ${max}; the minimum must be below the maximum.`);
        }
        if (range.rangeKind === ParameterRangeKind.INTEGER && [min, max].some((v) => isConcrete(v) && !Number.isInteger(v))) {
          problems.push(`integer range "${range.name}" has bounds ${min} and ${max}; both must be whole numbers (use ParameterRange.continuous otherwise).`);
        }
        if (range.scaling === ScalingType.LOGARITHMIC && isConcrete(min) && min <= 0) {
          problems.push(`${kind} range "${range.name}" uses logarithmic scaling with min ${min}; logarithmic scaling needs values above 0.`);
        }
        if (range.scaling === ScalingType.REVERSE_LOGARITHMIC && (range.rangeKind !== ParameterRangeKind.CONTINUOUS || (isConcrete(min) && min < 0) || (isConcrete(max) && max >= 1))) {
          problems.push(`${kind} range "${range.name}" uses reverse logarithmic scaling, which needs a continuous range within [0, 1).`);
        }
      }
    }
    if (props.strategy === TuningStrategy.GRID && props.ranges.some((r) => r.rangeKind === ParameterRangeKind.CONTINUOUS)) {
      problems.push('the Grid strategy cannot search continuous ranges; use categorical or integer ranges, or another strategy.');
    }
    // At most 30 hyperparameter ranges in total, and at most 30 values per categorical range.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ParameterRanges.html
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CategoricalParameterRange.html
    if (props.ranges.length > MAX_PARAMETER_RANGES) {
      problems.push(`ranges has ${props.ranges.length} hyperparameter ranges, but a tuning job searches at most ${MAX_PARAMETER_RANGES} in total; tune fewer hyperparameters and fix the others in the training job's hyperparameters.`);
    }
    for (const range of props.ranges) {
      if (range.rangeKind === ParameterRangeKind.CATEGORICAL && range.categoricalValues.length > MAX_CATEGORICAL_VALUES) {
        problems.push(`categorical range "${range.name}" has ${range.categoricalValues.length} values, but SageMaker allows at most ${MAX_CATEGORICAL_VALUES}; keep the ${MAX_CATEGORICAL_VALUES} most promising values.`);
      }
    }
    problems.push(...objectiveMetricProblems(props.trainingJob, props.objectiveMetric));
    throwIfProblems(this, problems);
    this.props = props;
    this.trainingJob = props.trainingJob;
    this.role = props.trainingJob.role;
    this.grantPrincipal = this.role;
  }

  /**
   * Renders the `CreateHyperParameterTuningJob` request, without the tuning job name.
   * Plumbing for the runners (MlPipeline, MlWorkflow, DeployTimeProcessingJob); typed with the
   * AWS SDK's request type, so not part of the jsii API.
   * @internal
   */
  public _renderRequest(): Omit<CreateHyperParameterTuningJobRequest, 'HyperParameterTuningJobName'> {
    const props = this.props;
    const training = this.trainingJob._renderRequest();
    const ranged = new Set(props.ranges.map((r) => r.name));
    const staticHyperparameters = Object.fromEntries(Object.entries(training.HyperParameters ?? {}).filter(([name]) => !ranged.has(name)));
    const ranges: ParameterRanges = { ContinuousParameterRanges: [], IntegerParameterRanges: [], CategoricalParameterRanges: [] };
    for (const range of props.ranges) {
      if (range.rangeKind === ParameterRangeKind.CATEGORICAL) {
        ranges.CategoricalParameterRanges!.push({ Name: range.name, Values: [...range.categoricalValues] });
      } else {
        const entry = {
          Name: range.name,
          MinValue: Tokenization.stringifyNumber(range.minValue!),
          MaxValue: Tokenization.stringifyNumber(range.maxValue!),
          ScalingType: range.scaling,
        };
        (range.rangeKind === ParameterRangeKind.CONTINUOUS ? ranges.ContinuousParameterRanges! : ranges.IntegerParameterRanges!).push(entry);
      }
    }
    for (const list of ['ContinuousParameterRanges', 'IntegerParameterRanges', 'CategoricalParameterRanges'] as const) {
      if (ranges[list]!.length === 0) delete ranges[list];
    }
    const strategy = (props.strategy ?? TuningStrategy.BAYESIAN) as HyperParameterTuningJobStrategyType;
    const earlyStopping = strategy !== 'Hyperband' && (props.earlyStopping ?? true);
    return {
      HyperParameterTuningJobConfig: {
        Strategy: strategy,
        HyperParameterTuningJobObjective: { MetricName: props.objectiveMetric, Type: props.objectiveType ?? ObjectiveType.MAXIMIZE },
        ResourceLimits: { MaxNumberOfTrainingJobs: props.maxJobs, MaxParallelTrainingJobs: props.maxParallelJobs },
        ParameterRanges: ranges,
        TrainingJobEarlyStoppingType: earlyStopping ? 'Auto' : 'Off',
      },
      TrainingJobDefinition: {
        AlgorithmSpecification: training.AlgorithmSpecification,
        RoleArn: training.RoleArn,
        InputDataConfig: training.InputDataConfig,
        OutputDataConfig: training.OutputDataConfig,
        ResourceConfig: training.ResourceConfig,
        StoppingCondition: training.StoppingCondition,
        StaticHyperParameters: Object.keys(staticHyperparameters).length ? staticHyperparameters : undefined,
        EnableManagedSpotTraining: training.EnableManagedSpotTraining,
        // No CheckpointConfig: the definition is shared by every trial, so one checkpoint URI
        // would be shared too and each trial would resume from another trial's model (with
        // other hyperparameters; a network of another shape fails to load). An interrupted Spot
        // trial starts over instead, as trials are short; tuning with maxWait still saves cost.
        EnableNetworkIsolation: training.EnableNetworkIsolation,
        EnableInterContainerTrafficEncryption: training.EnableInterContainerTrafficEncryption,
        VpcConfig: training.VpcConfig,
        Environment: training.Environment,
      },
      WarmStartConfig: props.warmStartParentJobNames?.length
        ? { ParentHyperParameterTuningJobs: props.warmStartParentJobNames.map((name) => ({ HyperParameterTuningJobName: name })), WarmStartType: props.warmStartType ?? WarmStartType.IDENTICAL_DATA_AND_ALGORITHM }
        : undefined,
    };
  }
}

/** The most hyperparameter ranges a tuning job searches (all kinds together). */
const MAX_PARAMETER_RANGES = 30;
/** The most values of one categorical range. */
const MAX_CATEGORICAL_VALUES = 30;

/**
 * The metrics built-in algorithms emit themselves, by image family.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/linear-learner-tuning.html
 */
const BUILT_IN_OBJECTIVES: Readonly<Record<string, { pattern: RegExp; described: string }>> = {
  XGBoost: { pattern: /^(validation|train):[A-Za-z0-9_@-]+$/, described: 'one of the built-in XGBoost metrics (validation:* or train:*)' },
  LinearLearner: { pattern: /^(validation|test):[A-Za-z0-9_@-]+$/, described: 'one of the built-in Linear Learner metrics (validation:* or test:*)' },
};

/**
 * The objective must be a metric the training job emits: one of its metric definitions, or for
 * SageMaker's built-in XGBoost one of the algorithm's own `validation:*` / `train:*` metrics.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-define-metrics-variables.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html
 */
function objectiveMetricProblems(trainingJob: TrainingJob, objectiveMetric: string): string[] {
  if (!isConcreteText(objectiveMetric)) return [];
  const defined = trainingJob.metricDefinitions.map((m) => m.name);
  if (defined.includes(objectiveMetric)) return [];
  const builtIn = BUILT_IN_OBJECTIVES[trainingJob.image.sageMakerFamily ?? ''];
  if (builtIn && builtIn.pattern.test(objectiveMetric)) return [];
  return [
    `objectiveMetric "${objectiveMetric}" is not among the training job's metric definitions (${defined.length ? defined.join(', ') : 'none'})${builtIn ? ` or ${builtIn.described}` : ''}, ` +
      `so SageMaker cannot read the objective from the logs; add a metricDefinition named "${objectiveMetric}" to the training job ${trainingJob.node.path}, or pick one of its metrics.`,
  ];
}
