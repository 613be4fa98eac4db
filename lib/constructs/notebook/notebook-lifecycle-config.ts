import { Duration, IResource, Resource, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { integerProblem, isConcrete, rangeProblem, throwIfProblems } from '../../private/errors';
import { MAX_NOTEBOOK_SCRIPT_BASE64_LENGTH, base64Length, encodeScript, idleAutoStopScript } from './lifecycle-script';

/**
 * A notebook instance lifecycle configuration.
 */
export interface INotebookLifecycleConfig extends IResource {
  /** The name of the lifecycle configuration. @attribute */
  readonly notebookLifecycleConfigName: string;
  /** True when its on-start script stops the instance when idle (the instance must grant itself StopNotebookInstance). */
  readonly stopsWhenIdle: boolean;
}

/**
 * Properties of a {@link NotebookLifecycleConfig}.
 */
export interface NotebookLifecycleConfigProps {
  /**
   * Stop the notebook instance when it has been idle this long (no busy kernel, no activity).
   * Whole minutes between 5 and 1440. Set `autoStopWhenIdle: false` to keep instances running.
   * @default Duration.minutes(60)
   */
  readonly idleTimeout?: Duration;

  /**
   * Install the idle auto-stop check in the on-start script.
   * @default true
   */
  readonly autoStopWhenIdle?: boolean;

  /**
   * A shell script run once, when the notebook instance is created. Plain text; it is
   * base64-encoded for you. Must finish within 5 minutes.
   * @default - none
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-lifecycle-config.html
   */
  readonly onCreateScript?: string;

  /**
   * A shell script run every time the notebook instance starts, after the idle auto-stop
   * installer. Plain text; it is base64-encoded for you. Must finish within 5 minutes.
   * @default - only the idle auto-stop installer
   */
  readonly onStartScript?: string;
}

/**
 * Scripts that run when a notebook instance is created and each time it starts, with an idle
 * auto-stop check installed by default so forgotten notebooks stop costing money.
 *
 * Each script, base64-encoded, may have at most 16,384 characters (checked at synth for scripts
 * without tokens).
 */
export class NotebookLifecycleConfig extends Resource implements INotebookLifecycleConfig {
  /**
   * Imports a lifecycle configuration by name. `stopsWhenIdle` is false: the importing code
   * cannot know what its scripts do.
   */
  public static fromNotebookLifecycleConfigName(scope: Construct, id: string, name: string): INotebookLifecycleConfig {
    class Import extends Resource implements INotebookLifecycleConfig {
      public readonly notebookLifecycleConfigName = name;
      public readonly stopsWhenIdle = false;
    }
    return new Import(scope, id);
  }

  public readonly notebookLifecycleConfigName: string;
  public readonly stopsWhenIdle: boolean;
  /** The idle time after which the instance stops, when `stopsWhenIdle`. */
  public readonly idleTimeout?: Duration;

  constructor(scope: Construct, id: string, props: NotebookLifecycleConfigProps = {}) {
    super(scope, id);

    this.stopsWhenIdle = props.autoStopWhenIdle ?? true;
    const problems: string[] = [];
    if (!this.stopsWhenIdle && props.idleTimeout) {
      problems.push('idleTimeout is set but autoStopWhenIdle is false; remove idleTimeout or set autoStopWhenIdle to true.');
    }
    let idleMinutes: number | undefined;
    if (this.stopsWhenIdle) {
      this.idleTimeout = props.idleTimeout ?? Duration.minutes(60);
      if (this.idleTimeout.isUnresolved()) {
        // A token passes into the script (base64-encoded with Fn::Base64 at deploy time), but only
        // in minutes: CDK cannot convert a token from another unit at synth.
        try {
          idleMinutes = this.idleTimeout.toMinutes({ integral: false });
        } catch {
          problems.push('idleTimeout comes from a token in a unit other than minutes, which cannot be converted at synth; give it as Duration.minutes(token).');
        }
      } else {
        idleMinutes = this.idleTimeout.toMinutes({ integral: false });
        const problem =
          integerProblem(`idleTimeout (${idleMinutes} minutes)`, idleMinutes) ??
          rangeProblem('idleTimeout in minutes', idleMinutes, 5, 1440, 'the check runs every 5 minutes and stops at most a day later');
        if (problem) problems.push(problem);
      }
    }
    const onStart = [this.stopsWhenIdle && idleMinutes !== undefined ? idleAutoStopScript(idleMinutes) : undefined, props.onStartScript]
      .filter((s): s is string => s !== undefined)
      .join('\n');
    for (const [hook, script] of [['onCreateScript', props.onCreateScript], ['on-start script (idle auto-stop installer plus onStartScript)', onStart]] as const) {
      if (!isConcrete(script) || script === '') continue;
      const length = base64Length(script);
      if (length !== undefined && length > MAX_NOTEBOOK_SCRIPT_BASE64_LENGTH) {
        problems.push(
          `the ${hook} is ${length} characters base64-encoded, but SageMaker allows at most ${MAX_NOTEBOOK_SCRIPT_BASE64_LENGTH}; ` +
            'move the bulk of the work into a script kept in the code repository or in S3 and call it from the lifecycle script.',
        );
      }
    }
    throwIfProblems(this, problems);

    const resource = new sagemaker.CfnNotebookInstanceLifecycleConfig(this, 'Resource', {
      onCreate: props.onCreateScript ? [{ content: encodeScript(props.onCreateScript) }] : undefined,
      onStart: onStart ? [{ content: encodeScript(onStart) }] : undefined,
    });
    this.notebookLifecycleConfigName = resource.attrNotebookInstanceLifecycleConfigName;
  }
}
