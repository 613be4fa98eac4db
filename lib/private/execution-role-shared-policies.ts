// The logs and metrics policies every SageMakerExecutionRole of a stack shares; not exported.
import { ArnFormat, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeWildcardResources } from './nag';

/**
 * A policy the SageMaker execution roles of a stack share (its own class, so the stack's
 * singleton is told apart from a user's construct and findings on it belong to
 * SageMakerExecutionRole).
 */
class ExecutionRoleSharedPolicy extends iam.ManagedPolicy {}

/** Construct ids, at the root of the stack, of the two shared policies. */
const LOGS_POLICY_ID = 'SageMakerExecutionRoleLogs';
const METRICS_POLICY_ID = 'SageMakerExecutionRoleMetrics';

/**
 * The customer-managed policy of `role`'s stack that lets SageMaker workloads write their logs,
 * only to SageMaker's own log groups (`/aws/sagemaker/*`) and their streams. Every role of the
 * stack that is granted logging attaches this one policy: the statement is the same for all of
 * them, so each role keeps exactly the same permissions without a copy of it, and its
 * acknowledged wildcard is acknowledged once, on this policy.
 */
export function sharedLogsPolicy(role: IConstruct): iam.ManagedPolicy {
  return sharedPolicy(role, LOGS_POLICY_ID, (stack) => {
    // One ARN covers the groups and their streams: a `*` that ends an ARN segment matches
    // beyond colons, so `log-group:/aws/sagemaker/*` also matches
    // `log-group:/aws/sagemaker/Endpoints/x:log-stream:y`, the resource of PutLogEvents
    // ("Using wildcards in resource ARNs",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
    const resources = [
      stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    ];
    const policy = new ExecutionRoleSharedPolicy(stack, LOGS_POLICY_ID, {
      description: "Lets this stack's SageMaker execution roles write logs to SageMaker's log groups (/aws/sagemaker/*)",
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteSageMakerLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources,
        }),
      ],
    });
    acknowledgeWildcardResources(
      policy,
      resources,
      'SageMaker creates and names its log groups and streams per job, endpoint, notebook or app at run time (e.g. /aws/sagemaker/TrainingJobs, stream <job name>/algo-1-...); scoped to the /aws/sagemaker/ prefix of this account and region.',
    );
    return policy;
  });
}

/**
 * The customer-managed policy of `role`'s stack that lets SageMaker workloads publish CloudWatch
 * metrics, only in SageMaker's namespaces. `cloudwatch:PutMetricData` has no resource type, so
 * the statement is on `*` with a `cloudwatch:namespace` condition. Shared like
 * {@link sharedLogsPolicy}.
 */
export function sharedMetricsPolicy(role: IConstruct): iam.ManagedPolicy {
  return sharedPolicy(role, METRICS_POLICY_ID, (stack) => {
    const policy = new ExecutionRoleSharedPolicy(stack, METRICS_POLICY_ID, {
      description: "Lets this stack's SageMaker execution roles publish CloudWatch metrics in SageMaker's namespaces",
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishSageMakerMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } },
        }),
      ],
    });
    acknowledgeActionsWithoutResourceTypes(policy, ['cloudwatch:PutMetricData'], "limited to SageMaker's metric namespaces by a cloudwatch:namespace condition");
    return policy;
  });
}

/** The stack's policy `id`, created by `create` on first use. */
function sharedPolicy(role: IConstruct, id: string, create: (stack: Stack) => iam.ManagedPolicy): iam.ManagedPolicy {
  const stack = Stack.of(role);
  const existing = stack.node.tryFindChild(id);
  if (existing === undefined) return create(stack);
  if (existing instanceof ExecutionRoleSharedPolicy) return existing;
  throw validationError(
    role,
    `the stack's construct id "${id}" is taken by ${existing.node.path}, which is not the managed policy that the SageMaker execution roles of a stack share under that id. Rename the construct at ${existing.node.path}.`,
  );
}
