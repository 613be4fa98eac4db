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

function atLeast(what: string, value: number | undefined, min: number): string | undefined {
  return isConcrete(value) && !(value >= min) ? `${what} is ${value}, but must be at least ${min}.` : undefined;
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
