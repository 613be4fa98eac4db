import { Duration, Names, RemovalPolicy, Stack, Token, aws_iam as iam, aws_kms as kms, aws_logs as logs, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ManagedPolicyRole, MlKey } from '../security';
import { validationError } from '../../private/errors';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeWildcardResources } from '../../private/nag';
import { SageMakerJobState } from './sagemaker-job-state';
import { IWorkflowPermissions } from './workflow-permissions';
import { isActionWithoutResourceType } from '../../private/actions-without-resource-types';
import { declaredWorkflowWildcards } from '../../private/workflow-wildcards';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';

/** Properties of an {@link MlWorkflow}. */
export interface MlWorkflowProps {
  /**
   * The states, run one after the other (the first is the start state). `SageMakerJobState`s
   * read the results of the job states before them; other states that can be chained (model
   * creation, Pass, Wait, other tasks, or a Choice wrapped with `afterwards()`) may come in between.
   */
  readonly states: sfn.IChainable[];
  /**
   * The key for the execution log group and for the state machine's data (definition,
   * execution history).
   * @default - a new MlKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long execution logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Encrypt the state machine's data with `encryptionKey` (otherwise an AWS-owned key).
   * @default true
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html
   */
  readonly encryptStateData?: boolean;
  /**
   * The longest an execution may run.
   * @default - no limit beyond the jobs' own stopping conditions (Step Functions stops standard executions after a year)
   */
  readonly timeout?: Duration;
  /**
   * A comment on the state machine.
   * @default - none
   */
  readonly comment?: string;
  /**
   * The state machine's name (1-80 letters, digits, hyphens and underscores). Changing it
   * replaces the state machine; its definition updates in place.
   * @default - generated from the construct path (stable while the path stays)
   */
  readonly stateMachineName?: string;
}

/**
 * A Step Functions state machine that runs SageMaker job definitions (see
 * {@link SageMakerJobState}) with a least-privilege role: it may pass exactly the jobs' roles
 * to SageMaker, create, describe and stop jobs of each state's kind and name pattern, and manage
 * only the EventBridge rules Step Functions creates for `.sync` SageMaker tasks
 * (`StepFunctionsGetEventsForSageMaker<Kind>JobsRule`). Executions are logged in full to a
 * KMS-encrypted log group and traced with X-Ray.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
 */
export class MlWorkflow extends Construct {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The role the state machine runs with. */
  public readonly role: iam.IRole;
  /** The log group of the executions. */
  public readonly logGroup: logs.LogGroup;
  /** The key of the log group (and of the state data, unless switched off). */
  public readonly encryptionKey: kms.IKey;
  /** The job states of the workflow, in the order given. */
  public readonly jobStates: SageMakerJobState[];

  constructor(scope: Construct, id: string, props: MlWorkflowProps) {
    super(scope, id);
    assertSingleCdkLib(this);
    if (props.states.length === 0) {
      throw validationError(this, 'states is empty; give at least one state (e.g. a SageMakerJobState).');
    }
    const name = props.stateMachineName;
    if (name !== undefined && !Token.isUnresolved(name) && !/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw validationError(this, `stateMachineName "${name}" must be 1-80 letters, digits, hyphens and underscores.`);
    }
    let chain = sfn.Chain.start(props.states[0]);
    for (const next of props.states.slice(1)) chain = chain.next(next);
    const reachable = sfn.State.findReachableStates(chain.startState, { includeErrorHandlers: true });
    const names = reachable.map((s) => s.stateId);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length) {
      throw validationError(
        this,
        `state names must be unique in a state machine, but ${[...new Set(repeated)].join(', ')} repeat. Give the states different construct ids (the id is the state name).`,
      );
    }

    // Job states read the results of the job states that ran before them.
    this.jobStates = reachable.filter((s): s is SageMakerJobState => s instanceof SageMakerJobState);
    const earlier = new Map<string, string>();
    for (const state of props.states) {
      if (!(state instanceof SageMakerJobState)) continue;
      const known = new Map(earlier);
      state._bindLookup({ resultPathOfJob: (jobPath) => known.get(jobPath) });
      earlier.set(state.job.node.path, state.resultJsonPath);
    }

    const stack = Stack.of(this);
    this.encryptionKey = props.encryptionKey ?? new MlKey(this, 'Key', { description: `Encrypts the logs and data of Step Functions workflow ${this.node.path}` });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
      description: `Runs the SageMaker jobs of Step Functions workflow ${this.node.path}`,
    });
    this.role = role;
    // Every reached state and every fragment given in `states` that says which permissions it needs.
    const holders = new Set<IWorkflowPermissions>();
    for (const candidate of [...reachable, ...props.states]) {
      if (hasWorkflowPermissions(candidate)) holders.add(candidate);
    }
    this.grantStates(role, [...holders]);

    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      definitionBody: sfn.DefinitionBody.fromChainable(chain),
      role,
      // A known name lets the key policy condition of the encrypted state data name the state machine.
      stateMachineName: props.stateMachineName ?? Names.uniqueResourceName(this, { maxLength: 80, separator: '-' }),
      comment: props.comment,
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      encryptionConfiguration: (props.encryptStateData ?? true) ? new sfn.CustomerManagedEncryptionConfiguration(this.encryptionKey) : undefined,
    });
    this.stateMachine.node.addDependency(role);
    // aws-cdk-lib's grants for the state machine's tracing and log delivery.
    acknowledgeActionsWithoutResourceTypes(
      role,
      ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      "aws-cdk-lib grants them for the state machine's X-Ray tracing and its delivery of logs to the encrypted log group",
    );
  }

  /** The state machine's ARN. */
  public get stateMachineArn(): string {
    return this.stateMachine.stateMachineArn;
  }

  /** Lets `grantee` start executions. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  private grantStates(role: iam.IRole, states: IWorkflowPermissions[]): void {
    const seen = new Set<string>();
    const stack = Stack.of(this);
    for (const state of states) {
      for (const declared of declaredWorkflowWildcards(state)) acknowledgeWildcardResources(role, declared.resources, declared.reason);
      for (const statement of state.policyStatements()) {
        const key = JSON.stringify(stack.resolve(statement.toStatementJson()));
        if (seen.has(key)) continue;
        seen.add(key);
        role.addToPrincipalPolicy(statement);
        // A state may need actions IAM cannot scope. The role's "*" finding is acknowledged for
        // X-Ray and log delivery already, so a state's "*" would pass unnoticed: it is accepted
        // only for actions that take no resource type.
        if (statement.resources.includes('*')) {
          const scopable = statement.actions.filter((action) => !isActionWithoutResourceType(action));
          if (scopable.length > 0) {
            throw validationError(this, `the ${describeHolder(state)} asks for ${scopable.join(', ')} on "*", but these actions take resource-level permissions. Name the resources in the state's policy statements.`);
          }
          acknowledgeActionsWithoutResourceTypes(role, statement.actions, `the workflow's ${describeHolder(state)} calls them`);
        }
      }
    }
  }
}

/** Whether `candidate` (a state or fragment) says which permissions it needs. */
function hasWorkflowPermissions(candidate: unknown): candidate is IWorkflowPermissions {
  return typeof (candidate as Partial<IWorkflowPermissions> | undefined)?.policyStatements === 'function';
}

/** How a permissions holder is named in an acknowledgement's reason. */
function describeHolder(holder: IWorkflowPermissions): string {
  if (holder instanceof sfn.State) return `state ${holder.stateId}`;
  if (holder instanceof Construct) return `fragment ${holder.node.id}`;
  return 'state';
}
