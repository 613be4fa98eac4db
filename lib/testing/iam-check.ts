/**
 * A least-privilege check over a synthesized CloudFormation template.
 *
 * It reports:
 * - identity-policy statements that `Allow` on `Resource: "*"` for an action that could be
 *   scoped to a resource ARN (only the actions in {@link LeastPrivilege.UNSCOPABLE_ACTIONS} may use `*`,
 *   each for the reason given there);
 * - AWS managed policies (`arn:<partition>:iam::aws:policy/...`) attached to a role, user or
 *   group of the template.
 *
 * Resource-based policies (KMS key policies, bucket and topic policies) are not identity
 * policies: their `Resource: "*"` means "this resource" and is not reported.
 */

import { isActionWithoutResourceType } from '../private/actions-without-resource-types';

/**
 * Actions that IAM cannot scope to a resource, with the reason. A statement on `"*"` may hold
 * only these. `cloudwatch:PutMetricData` is allowed only with a `cloudwatch:namespace` condition.
 * Published as {@link LeastPrivilege.UNSCOPABLE_ACTIONS}.
 * @internal
 */
export const UNSCOPABLE_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'returns a registry-wide token; IAM supports no resource for it',
  'cloudwatch:PutMetricData': 'has no resource type; scoped instead by a cloudwatch:namespace condition',
  'ec2:CreateNetworkInterface': 'SageMaker creates ENIs in the VPC given in the job/model request; ENI ids are not known in advance. SageMakerExecutionRole.grantVpcAccess(vpc) adds an ArnEquals ec2:Vpc condition when the VPC is known',
  'ec2:CreateNetworkInterfacePermission': 'SageMaker attaches the ENIs it creates; ENI ids are not known in advance (ec2:Vpc condition when the VPC is known)',
  'ec2:DeleteNetworkInterface': 'SageMaker deletes the ENIs it created; ENI ids are not known in advance (ec2:Vpc condition when the VPC is known)',
  'ec2:DeleteNetworkInterfacePermission': 'SageMaker detaches the ENIs it created; ENI ids are not known in advance (ec2:Vpc condition when the VPC is known)',
  'ec2:DescribeNetworkInterfaces': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeVpcs': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeDhcpOptions': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeSubnets': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeSecurityGroups': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeVpcEndpoints': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeRouteTables': 'EC2 Describe* actions support no resource-level permissions',
  'logs:DescribeLogGroups': 'lists log groups; supports no resource-level permissions',
  'xray:PutTraceSegments': 'X-Ray write actions support no resource-level permissions',
  'xray:PutTelemetryRecords': 'X-Ray write actions support no resource-level permissions',
  'xray:GetSamplingRules': 'X-Ray sampling actions support no resource-level permissions',
  'xray:GetSamplingTargets': 'X-Ray sampling actions support no resource-level permissions',
  'logs:CreateLogDelivery': 'CloudWatch Logs vended-log delivery actions support no resource-level permissions (Step Functions logging)',
  'logs:GetLogDelivery': 'CloudWatch Logs vended-log delivery actions support no resource-level permissions (Step Functions logging)',
  'logs:UpdateLogDelivery': 'CloudWatch Logs vended-log delivery actions support no resource-level permissions (Step Functions logging)',
  'logs:DeleteLogDelivery': 'CloudWatch Logs vended-log delivery actions support no resource-level permissions (Step Functions logging)',
  'logs:ListLogDeliveries': 'CloudWatch Logs vended-log delivery actions support no resource-level permissions (Step Functions logging)',
  'logs:PutResourcePolicy': 'CloudWatch Logs resource policies are account-wide (Step Functions logging)',
  'logs:DescribeResourcePolicies': 'CloudWatch Logs resource policies are account-wide (Step Functions logging)',
  'sagemaker:ListApps': 'List* actions support no resource-level permissions (Studio execution roles list their apps; the teardown handler lists what to delete)',
  'sagemaker:ListSpaces': 'List* actions support no resource-level permissions (Studio execution roles list their spaces; the teardown handler lists what to delete)',
  'sagemaker:ListUserProfiles': 'List* actions support no resource-level permissions',
  'sagemaker:Search': 'Search supports no resource-level permissions',
  'glue:GetSecurityConfigurations': 'List-style Glue action with no resource type',
};

/** One finding of {@link LeastPrivilege.check}. */
export interface IamFinding {
  /** Logical id of the resource that holds the policy. */
  readonly logicalId: string;
  /** The resource's construct path from its `aws:cdk:path` metadata, when present. */
  readonly path: string;
  /** What is wrong, in a sentence. */
  readonly message: string;
}

/** An AWS managed policy that {@link LeastPrivilege.check} accepts on one holder, with the reason. */
export interface AllowedManagedPolicy {
  /** The policy name after `arn:<partition>:iam::aws:policy/`, e.g. `service-role/AWSLambdaBasicExecutionRole`. */
  readonly policyName: string;
  /** Text the holder's construct path (or, without path metadata, its logical id) contains. */
  readonly pathIncludes: string;
  /** Why the managed policy is acceptable there. */
  readonly reason: string;
}

/** Options of {@link LeastPrivilege.check}. */
export interface IamCheckOptions {
  /**
   * Managed policies that may stay attached, each with a reason, matched against the resolved
   * policy name (e.g. `service-role/AWSLambdaBasicExecutionRole`) and the holder's construct path
   * (or, where the template has no path metadata, its logical id).
   * @default - none
   */
  readonly allowManagedPolicies?: AllowedManagedPolicy[];
}

type Json = Record<string, unknown>;

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isStar(resource: unknown): boolean {
  return resource === '*';
}

function managedPolicyName(arn: unknown): string | undefined {
  const text = JSON.stringify(arn);
  const match = /iam::aws:policy\/([A-Za-z0-9+=,.@_\-/]+)/.exec(text);
  return match ? match[1] : undefined;
}

function statementFindings(logicalId: string, path: string, statement: Json): IamFinding[] {
  if (statement.Effect !== 'Allow') return [];
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
    return [{ logicalId, path, message: `statement uses NotAction/NotResource: ${JSON.stringify(statement)}` }];
  }
  const resources = asArray(statement.Resource as unknown);
  if (!resources.some(isStar)) return [];
  const findings: IamFinding[] = [];
  for (const action of asArray(statement.Action as string | string[])) {
    if (typeof action !== 'string') continue;
    if (action.includes('*')) {
      findings.push({ logicalId, path, message: `action "${action}" is a wildcard on Resource "*"` });
      continue;
    }
    // Also the AI service actions the Service Authorization Reference lists without a resource type
    // (lib/private/actions-without-resource-types.ts, where each is cited).
    if (!(action in UNSCOPABLE_ACTIONS) && !isActionWithoutResourceType(action)) {
      findings.push({ logicalId, path, message: `action "${action}" can be scoped to a resource ARN but is allowed on Resource "*"` });
      continue;
    }
    if (action === 'cloudwatch:PutMetricData') {
      const condition = JSON.stringify(statement.Condition ?? {});
      if (!condition.includes('cloudwatch:namespace')) {
        findings.push({ logicalId, path, message: 'cloudwatch:PutMetricData on Resource "*" needs a cloudwatch:namespace condition' });
      }
    }
  }
  return findings;
}

/**
 * A least-privilege check over a synthesized CloudFormation template: identity-policy statements
 * broader than they need to be, and attached AWS managed policies.
 */
export class LeastPrivilege {
  /**
   * Actions that IAM cannot scope to a resource, with the reason: the only actions a statement
   * on `Resource: "*"` may hold.
   */
  public static readonly UNSCOPABLE_ACTIONS: Record<string, string> = { ...UNSCOPABLE_ACTIONS };

  /**
   * Checks a synthesized template (the JSON of `Template.fromStack(stack).toJSON()`) for
   * statements that are broader than they need to be and for AWS managed policies.
   */
  public static check(template: Record<string, unknown>, options: IamCheckOptions = {}): IamFinding[] {
    return checkTemplate(template, options);
  }

  /** Formats findings one per line, for an assertion message (empty when there is none). */
  public static formatFindings(findings: IamFinding[]): string {
    return findings.map((f) => `- ${f.path} (${f.logicalId}): ${f.message}`).join('\n');
  }

  private constructor() {}
}

/**
 * TypeScript alias of {@link LeastPrivilege.check} (jsii publishes only the class).
 * @internal
 */
export function checkLeastPrivilege(template: Json, options: IamCheckOptions = {}): IamFinding[] {
  return LeastPrivilege.check(template, options);
}

/**
 * TypeScript alias of {@link LeastPrivilege.formatFindings} (jsii publishes only the class).
 * @internal
 */
export function formatIamFindings(findings: IamFinding[]): string {
  return LeastPrivilege.formatFindings(findings);
}

function checkTemplate(template: Json, options: IamCheckOptions): IamFinding[] {
  const resources = (template.Resources ?? {}) as Record<string, Json>;
  const findings: IamFinding[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = (resource.Properties ?? {}) as Json;
    const path = String(((resource.Metadata ?? {}) as Json)['aws:cdk:path'] ?? logicalId);
    const documents: Json[] = [];
    switch (resource.Type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        documents.push(props.PolicyDocument as Json);
        break;
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        for (const inline of asArray(props.Policies as Json[])) {
          documents.push(inline.PolicyDocument as Json);
        }
        for (const arn of asArray(props.ManagedPolicyArns as unknown[])) {
          const name = managedPolicyName(arn);
          if (name === undefined) continue;
          const allowed = (options.allowManagedPolicies ?? []).some(
            (allow) => allow.policyName === name && (path.includes(allow.pathIncludes) || logicalId.includes(allow.pathIncludes)),
          );
          if (!allowed) {
            findings.push({ logicalId, path, message: `AWS managed policy "${name}" is attached; grant scoped statements instead` });
          }
        }
        break;
      default:
        continue;
    }
    for (const document of documents) {
      for (const statement of asArray((document?.Statement ?? []) as Json[])) {
        findings.push(...statementFindings(logicalId, path, statement));
      }
    }
  }
  return findings;
}
