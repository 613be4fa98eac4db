import { Tokenization } from 'aws-cdk-lib';
import { SageMakerConstructError, integerProblem, isConcrete, rangeProblem } from '../../private/errors';

/**
 * XGBoost hyperparameters (the typed subset the examples use; `extra` takes any other).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost_hyperparameters.html
 */
export interface XGBoostHyperparameters {
  /** Learning objective, e.g. `binary:logistic`. */
  readonly objective: string;
  /** Boosting rounds, e.g. 100. */
  readonly numRound: number;
  /**
   * Maximum tree depth, e.g. 5.
   * @default 6
   */
  readonly maxDepth?: number;
  /**
   * Step size shrinkage, e.g. 0.2.
   * @default 0.3
   */
  readonly eta?: number;
  /**
   * Minimum loss reduction to split.
   * @default 0
   */
  readonly gamma?: number;
  /**
   * Minimum child weight.
   * @default 1
   */
  readonly minChildWeight?: number;
  /**
   * Row subsample ratio.
   * @default 1
   */
  readonly subsample?: number;
  /**
   * Evaluation metric, e.g. `auc`.
   * @default - chosen from the objective
   */
  readonly evalMetric?: string;
  /**
   * Stop when the validation metric has not improved for this many rounds.
   * @default - no early stopping
   */
  readonly earlyStoppingRounds?: number;
  /**
   * Other XGBoost hyperparameters, by their XGBoost names.
   * @default - none
   */
  readonly extra?: Record<string, string>;
}

/**
 * The type of target variable Linear Learner learns.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html (predictor_type)
 */
export enum LinearLearnerPredictorType {
  /** A binary classifier: labels 0 and 1. */
  BINARY_CLASSIFIER = 'binary_classifier',
  /** A multiclass classifier: labels 0 to `numClasses - 1`. */
  MULTICLASS_CLASSIFIER = 'multiclass_classifier',
  /** A regressor: real-valued labels. */
  REGRESSOR = 'regressor',
}

/**
 * How Linear Learner picks the best of the models it trains in parallel when it learns a binary
 * classifier, on the validation channel (or the training channel when there is none).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html (binary_classifier_model_selection_criteria)
 */
export enum BinaryClassifierModelSelectionCriteria {
  /** The model with the highest accuracy. */
  ACCURACY = 'accuracy',
  /** The model with the highest F-beta score (F1 by default; see the algorithm's `f_beta`). */
  F_BETA = 'f_beta',
  /** The model with the highest precision at the target recall (`targetRecall`). */
  PRECISION_AT_TARGET_RECALL = 'precision_at_target_recall',
  /** The model with the highest recall at the target precision (`targetPrecision`). */
  RECALL_AT_TARGET_PRECISION = 'recall_at_target_precision',
  /** The model with the lowest value of the loss function. */
  LOSS_FUNCTION = 'loss_function',
}

/**
 * The weight of positive examples when Linear Learner trains a binary classifier (negative
 * examples weigh 1).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html (positive_example_weight_mult)
 */
export class PositiveExampleWeight {
  /** The algorithm weighs positive and negative examples so that both have equal impact on the training loss. */
  public static readonly BALANCED = new PositiveExampleWeight('balanced');
  /** The algorithm chooses the weight that optimizes performance. */
  public static readonly AUTO = new PositiveExampleWeight('auto');

  /**
   * A fixed weight, above 0 (e.g. 4 to weigh a positive example as four negative ones).
   * @param weight the weight of a positive example
   */
  public static of(weight: number): PositiveExampleWeight {
    return new PositiveExampleWeight(text(weight), weight);
  }

  private constructor(
    /** The value as the algorithm receives it. */
    public readonly value: string,
    /** The fixed weight, when there is one (checked by `Hyperparameters.linearLearner`). */
    private readonly weight?: number,
  ) {}

  /**
   * The problem with a fixed weight, if any.
   * @internal
   */
  public _problem(): string | undefined {
    return isConcrete(this.weight) && !(this.weight > 0) ? `positiveExampleWeightMult is ${this.weight}, but must be above 0 (or BALANCED or AUTO).` : undefined;
  }
}

/**
 * Linear Learner hyperparameters (the typed subset for classifiers and regressors; `extra` takes
 * any other). Values left out are the algorithm's defaults (`auto` where the algorithm has it).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html
 */
export interface LinearLearnerHyperparameters {
  /** The type of target variable: binary classification, multiclass classification or regression. */
  readonly predictorType: LinearLearnerPredictorType;
  /**
   * The number of classes, 3 to 1,000,000, with labels `0` to `numClasses - 1`. Required for
   * (and only for) `MULTICLASS_CLASSIFIER`.
   * @default - none (binary classifiers and regressors)
   */
  readonly numClasses?: number;
  /**
   * The number of features in the input data, a positive whole number.
   * @default - `auto`: the algorithm infers it from the data
   */
  readonly featureDim?: number;
  /**
   * Observations per mini-batch, a positive whole number.
   * @default 1000
   */
  readonly miniBatchSize?: number;
  /**
   * The maximum number of passes over the training data, a positive whole number.
   * @default 15
   */
  readonly epochs?: number;
  /**
   * The optimizer's step size, above 0.
   * @default - `auto`: depends on the optimizer
   */
  readonly learningRate?: number;
  /**
   * The L1 regularization parameter, at least 0 (0 turns L1 regularization off).
   * @default - `auto`
   */
  readonly l1?: number;
  /**
   * The weight decay (L2 regularization) parameter, at least 0 (0 turns L2 regularization off).
   * @default - `auto`
   */
  readonly wd?: number;
  /**
   * How the best model is selected; binary classifiers only.
   * @default BinaryClassifierModelSelectionCriteria.ACCURACY
   */
  readonly binaryClassifierModelSelectionCriteria?: BinaryClassifierModelSelectionCriteria;
  /**
   * The recall held while precision is maximized, 0 to 1; only with
   * `BinaryClassifierModelSelectionCriteria.PRECISION_AT_TARGET_RECALL`.
   * @default 0.8
   */
  readonly targetRecall?: number;
  /**
   * The precision held while recall is maximized, 0 to 1; only with
   * `BinaryClassifierModelSelectionCriteria.RECALL_AT_TARGET_PRECISION`.
   * @default 0.8
   */
  readonly targetPrecision?: number;
  /**
   * The weight of positive examples; binary classifiers only. `BALANCED` suits imbalanced data
   * such as loan defaults.
   * @default - 1.0
   */
  readonly positiveExampleWeightMult?: PositiveExampleWeight;
  /**
   * Epochs without improvement before training stops early, a positive whole number (a value
   * above `epochs` turns early stopping off).
   * @default 3
   */
  readonly earlyStoppingPatience?: number;
  /**
   * The relative loss improvement below which early stopping counts no improvement, above 0.
   * @default 0.001
   */
  readonly earlyStoppingTolerance?: number;
  /**
   * Other Linear Learner hyperparameters, by their algorithm names (e.g. `optimizer`, `loss`).
   * @default - none
   */
  readonly extra?: Record<string, string>;
}

function atLeast(what: string, value: number | undefined, min: number): string | undefined {
  return isConcrete(value) && !(value >= min) ? `${what} is ${value}, but must be at least ${min}.` : undefined;
}

function above(what: string, value: number | undefined, min: number): string | undefined {
  return isConcrete(value) && !(value > min) ? `${what} is ${value}, but must be above ${min}.` : undefined;
}

function positiveInteger(what: string, value: number | undefined): string | undefined {
  return integerProblem(what, value) ?? atLeast(what, value, 1);
}

function onlyWith(what: string, value: unknown, allowed: boolean, condition: string): string | undefined {
  return value !== undefined && !allowed ? `${what} is set, but applies only ${condition}; remove it.` : undefined;
}

function subsampleProblem(value: number | undefined): string | undefined {
  return isConcrete(value) && !(value > 0 && value <= 1) ? `subsample is ${value}, but must be above 0 and at most 1.` : undefined;
}

function text(value: number): string {
  return Tokenization.stringifyNumber(value);
}

/**
 * Hyperparameters of a training job. Built-in algorithms get typed structs, so typos do not
 * compile; `of()` takes a plain map for custom containers and framework scripts.
 */
export class Hyperparameters {
  /** XGBoost's hyperparameters. */
  public static xgboost(props: XGBoostHyperparameters): Hyperparameters {
    const problems = [
      integerProblem('numRound', props.numRound) ?? atLeast('numRound', props.numRound, 1),
      integerProblem('maxDepth', props.maxDepth) ?? atLeast('maxDepth', props.maxDepth, 0),
      rangeProblem('eta', props.eta, 0, 1),
      subsampleProblem(props.subsample),
      atLeast('gamma', props.gamma, 0),
      atLeast('minChildWeight', props.minChildWeight, 0),
      integerProblem('earlyStoppingRounds', props.earlyStoppingRounds) ?? atLeast('earlyStoppingRounds', props.earlyStoppingRounds, 1),
    ].filter((p): p is string => p !== undefined);
    if (problems.length) {
      throw new SageMakerConstructError(`Hyperparameters.xgboost: ${problems.join(' ')} See https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost_hyperparameters.html for the valid ranges.`);
    }
    const values: Record<string, string> = { objective: props.objective, num_round: text(props.numRound) };
    const optional: Array<[string, number | string | undefined]> = [
      ['max_depth', props.maxDepth],
      ['eta', props.eta],
      ['gamma', props.gamma],
      ['min_child_weight', props.minChildWeight],
      ['subsample', props.subsample],
      ['eval_metric', props.evalMetric],
      ['early_stopping_rounds', props.earlyStoppingRounds],
    ];
    for (const [name, value] of optional) {
      if (value !== undefined) values[name] = typeof value === 'number' ? text(value) : value;
    }
    return new Hyperparameters({ ...values, ...(props.extra ?? {}) });
  }

  /**
   * Linear Learner's hyperparameters, checked against the documented rules.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html
   */
  public static linearLearner(props: LinearLearnerHyperparameters): Hyperparameters {
    // Rules and ranges: https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html
    const predictorTypes = Object.values(LinearLearnerPredictorType) as string[];
    const criteria = Object.values(BinaryClassifierModelSelectionCriteria) as string[];
    const binary = props.predictorType === LinearLearnerPredictorType.BINARY_CLASSIFIER;
    const multiclass = props.predictorType === LinearLearnerPredictorType.MULTICLASS_CLASSIFIER;
    const problems = [
      predictorTypes.includes(props.predictorType)
        ? undefined
        : `predictorType is "${props.predictorType}", but must be one of ${predictorTypes.join(', ')}.`,
      multiclass && props.numClasses === undefined
        ? 'predictorType is multiclass_classifier, but numClasses is missing; give the number of classes (3 to 1,000,000).'
        : onlyWith('numClasses', props.numClasses, multiclass, 'to predictorType multiclass_classifier (a binary classifier has 2 classes)'),
      integerProblem('numClasses', props.numClasses) ?? rangeProblem('numClasses', props.numClasses, 3, 1_000_000),
      positiveInteger('featureDim', props.featureDim),
      positiveInteger('miniBatchSize', props.miniBatchSize),
      positiveInteger('epochs', props.epochs),
      above('learningRate', props.learningRate, 0),
      atLeast('l1', props.l1, 0),
      atLeast('wd', props.wd, 0),
      props.binaryClassifierModelSelectionCriteria !== undefined && !criteria.includes(props.binaryClassifierModelSelectionCriteria)
        ? `binaryClassifierModelSelectionCriteria is "${props.binaryClassifierModelSelectionCriteria}", but must be one of ${criteria.join(', ')}.`
        : onlyWith('binaryClassifierModelSelectionCriteria', props.binaryClassifierModelSelectionCriteria, binary, 'to predictorType binary_classifier'),
      rangeProblem('targetRecall', props.targetRecall, 0, 1) ??
        onlyWith(
          'targetRecall',
          props.targetRecall,
          props.binaryClassifierModelSelectionCriteria === BinaryClassifierModelSelectionCriteria.PRECISION_AT_TARGET_RECALL,
          'with binaryClassifierModelSelectionCriteria precision_at_target_recall',
        ),
      rangeProblem('targetPrecision', props.targetPrecision, 0, 1) ??
        onlyWith(
          'targetPrecision',
          props.targetPrecision,
          props.binaryClassifierModelSelectionCriteria === BinaryClassifierModelSelectionCriteria.RECALL_AT_TARGET_PRECISION,
          'with binaryClassifierModelSelectionCriteria recall_at_target_precision',
        ),
      props.positiveExampleWeightMult?._problem() ??
        onlyWith('positiveExampleWeightMult', props.positiveExampleWeightMult, binary, 'to predictorType binary_classifier'),
      positiveInteger('earlyStoppingPatience', props.earlyStoppingPatience),
      above('earlyStoppingTolerance', props.earlyStoppingTolerance, 0),
    ].filter((p): p is string => p !== undefined);
    if (problems.length) {
      throw new SageMakerConstructError(
        `Hyperparameters.linearLearner: ${problems.join(' ')} See https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html for the valid values.`,
      );
    }
    const values: Record<string, string> = { predictor_type: props.predictorType };
    const optional: Array<[string, number | string | undefined]> = [
      ['num_classes', props.numClasses],
      ['feature_dim', props.featureDim],
      ['mini_batch_size', props.miniBatchSize],
      ['epochs', props.epochs],
      ['learning_rate', props.learningRate],
      ['l1', props.l1],
      ['wd', props.wd],
      ['binary_classifier_model_selection_criteria', props.binaryClassifierModelSelectionCriteria],
      ['target_recall', props.targetRecall],
      ['target_precision', props.targetPrecision],
      ['positive_example_weight_mult', props.positiveExampleWeightMult?.value],
      ['early_stopping_patience', props.earlyStoppingPatience],
      ['early_stopping_tolerance', props.earlyStoppingTolerance],
    ];
    for (const [name, value] of optional) {
      if (value !== undefined) values[name] = typeof value === 'number' ? text(value) : value;
    }
    return new Hyperparameters({ ...values, ...(props.extra ?? {}) });
  }

  /** Any hyperparameters, as SageMaker receives them (string values). */
  public static of(values: Record<string, string>): Hyperparameters {
    return new Hyperparameters({ ...values });
  }

  private constructor(private readonly values: Record<string, string>) {}

  /**
   * The hyperparameters as the request's string map.
   * @internal
   */
  public _render(): Record<string, string> {
    return { ...this.values };
  }
}
