import { IConstruct } from 'constructs';
import { JobKind } from '../jobs';
import { validationError } from '../../private/errors';

/** How a job name is put together for one state, as rendered by {@link JobName.bind}. */
export interface JobNameConfig {
  /** The JSONPath or intrinsic-function expression of the name (set under the `...Name.$` key). */
  readonly expression: string;
  /**
   * The part of the job's ARN after `<kind>-job/` that every name matches, in lower case as
   * SageMaker writes ARNs (e.g. `*-train`): the runner's permissions are scoped to it.
   */
  readonly arnPattern: string;
}

/** The longest job name SageMaker accepts per kind (tuning job names are at most 32 characters). */
const MAX_JOB_NAME_LENGTH: Record<JobKind, number> = {
  [JobKind.PROCESSING]: 63,
  [JobKind.TRAINING]: 63,
  [JobKind.TRANSFORM]: 63,
  [JobKind.TUNING]: 32,
};


/**
 * How a Step Functions state names the SageMaker job it starts. Names derive from the
 * execution, so a rerun (a new execution) never collides with an earlier job.
 *
 * Job names may hold only letters, digits and hyphens: start executions without a name (Step
 * Functions then uses a UUID) or with names of that alphabet.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html#sagemaker-CreateTrainingJob-request-TrainingJobName
 */
export abstract class JobName {
  /** The length of the execution names Step Functions generates when none is given (a UUID). */
  public static readonly GENERATED_EXECUTION_NAME_LENGTH = 36;

  /**
   * `<execution name>-<state name>`, e.g. `3f2a...-Train` (`States.Format('{}-Train', $$.Execution.Name)`).
   * Readable, and fits SageMaker's 63 characters when executions keep Step Functions' generated
   * 36-character names; not available for tuning jobs (32 characters at most).
   */
  public static fromExecutionName(): JobName {
    return new ExecutionJobName();
  }

  /**
   * `<state name>-<MD5 of the execution name>` (32 hex characters), or the bare MD5 of
   * `<execution name>-<state name>` for tuning jobs: always fits, whatever the execution name.
   */
  public static hashOfExecutionName(): JobName {
    return new HashedJobName();
  }

  /**
   * A name read from the state's input or the execution's context, e.g. `$$.Execution.Input.trainingJobName`.
   * The runner may then create jobs of any name of that kind.
   */
  public static fromJsonPath(path: string): JobName {
    return new PathJobName(path);
  }

  /**
   * Renders the name for one state.
   * @param scope the state, named in errors (a name that cannot fit throws)
   * @param stateName the state's name (letters and digits)
   * @param kind the kind of job the state starts
   */
  public abstract bind(scope: IConstruct, stateName: string, kind: JobKind): JobNameConfig;
}

class ExecutionJobName extends JobName {
  public bind(scope: IConstruct, stateName: string, kind: JobKind): JobNameConfig {
    const max = MAX_JOB_NAME_LENGTH[kind];
    const longest = JobName.GENERATED_EXECUTION_NAME_LENGTH + 1 + stateName.length;
    if (longest > max) {
      throw validationError(
        scope,
        `the job name "<execution name>-${stateName}" is ${longest} characters with Step Functions' generated execution names, ` +
        `but ${kind.toLowerCase()} job names are at most ${max}. Shorten the state name to ${Math.max(0, max - JobName.GENERATED_EXECUTION_NAME_LENGTH - 1)} characters or fewer, ` +
        'or use jobName: JobName.hashOfExecutionName().',
      );
    }
    return { expression: `States.Format('{}-${stateName}', $$.Execution.Name)`, arnPattern: `*-${stateName.toLowerCase()}` };
  }
}

class HashedJobName extends JobName {
  public bind(_scope: IConstruct, stateName: string, kind: JobKind): JobNameConfig {
    const max = MAX_JOB_NAME_LENGTH[kind];
    if (max <= 32 + 1 + stateName.length) {
      return { expression: `States.Hash(States.Format('{}-${stateName}', $$.Execution.Name), 'MD5')`, arnPattern: '*' };
    }
    return { expression: `States.Format('${stateName}-{}', States.Hash($$.Execution.Name, 'MD5'))`, arnPattern: `${stateName.toLowerCase()}-*` };
  }
}

class PathJobName extends JobName {
  constructor(private readonly path: string) {
    super();
  }

  public bind(scope: IConstruct, _stateName: string, _kind: JobKind): JobNameConfig {
    if (!this.path.startsWith('$')) {
      throw validationError(scope, `jobName path "${this.path}" is not a JSONPath; start it with "$." (state input) or "$$." (context object).`);
    }
    return { expression: this.path, arnPattern: '*' };
  }
}
