import { JobReference } from './job-reference';

/**
 * The id of the run that runs a job: the pipeline execution id under SageMaker Pipelines
 * (`Execution.PipelineExecutionId`), the execution name under Step Functions (`$$.Execution.Name`).
 * Put it in a path to keep what one run writes apart from every other run's, e.g.
 * `checkpoints/train/${RunReference.executionId()}/`.
 */
export class RunReference extends JobReference {
  /** The id of the current run, as a string to embed in any string field of a job definition. */
  public static executionId(): string {
    return RunReference.instance().toString();
  }

  /** True when the text holds the run id. */
  public static isIn(text: string): boolean {
    return JobReference.holdsReference(text) && JobReference._split(text).some((part) => part instanceof RunReference);
  }

  private static shared?: RunReference;

  private static instance(): RunReference {
    if (!RunReference.shared) RunReference.shared = new RunReference();
    return RunReference.shared;
  }

  public readonly isNumeric = false;
  public readonly description = 'the id of the run (pipeline execution id or state machine execution name)';

  private constructor() {
    super();
  }
}
