import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as library from 'sagemaker-cdk-constructs';

/** One acknowledgement recorded in an app's construct metadata. */
export interface RecordedAcknowledgement {
  /** The library construct that owns the acknowledged resource (see {@link ownerOf}). */
  readonly construct: string;
  /** The finding id without an IAM5 finding's bracketed resource (e.g. `AwsSolutions-IAM5`). */
  readonly id: string;
  /** The full finding id as acknowledged. */
  readonly fullId: string;
  /** The acknowledged construct's path. */
  readonly path: string;
  /** The recorded reason. */
  readonly reason: string;
}

/** Library classes that are building blocks of other constructs, never owners of a finding. */
const BUILDING_BLOCKS = new Set<unknown>([library.ManagedPolicyRole]);

/** Internal (unexported) classes, by name, and the public construct they belong to. */
const INTERNAL_OWNERS: Record<string, string> = {
  // The stack-wide API Gateway account setting that InferenceApi creates beside itself.
  ApiGatewayCloudWatchAccount: 'InferenceApi',
  // The logs and metrics policies the SageMaker execution roles of a stack share.
  ExecutionRoleSharedPolicy: 'SageMakerExecutionRole',
};

const LIBRARY_CLASSES = new Set<unknown>(Object.values(library).filter((value) => typeof value === 'function' && !BUILDING_BLOCKS.has(value)));

/**
 * The nearest library construct at or above `node` (the construct whose own resource it is),
 * skipping building blocks such as ManagedPolicyRole; undefined when the node belongs to no
 * library construct (something the app itself made).
 */
export function ownerOf(node: IConstruct): string | undefined {
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    if (Stack.isStack(current) || Stage.isStage(current)) return undefined;
    const name = current.constructor.name;
    if (INTERNAL_OWNERS[name]) return INTERNAL_OWNERS[name];
    if (LIBRARY_CLASSES.has(current.constructor)) return name;
  }
  return undefined;
}

/**
 * Every acknowledgement recorded in `app`'s construct metadata
 * (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, one `{ [id]: reason }` entry per
 * acknowledgement). Call it after synth: the IAM5 acknowledgements of the library are made
 * during construct validation.
 */
export function recordedAcknowledgements(app: App): RecordedAcknowledgement[] {
  const recorded: RecordedAcknowledgement[] = [];
  for (const node of app.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [fullId, reason] of Object.entries(entry.data as Record<string, string>)) {
        recorded.push({ construct: ownerOf(node) ?? '(app)', id: fullId.replace(/\[.*\]$/, ''), fullId, path: node.node.path, reason });
      }
    }
  }
  return recorded;
}
