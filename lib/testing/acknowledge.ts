import { CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** One reviewed kind of wildcard permission, acknowledged with a reason. */
export interface WildcardAcknowledgement {
  /**
   * A regular expression (source text) matched against cdk-nag's AwsSolutions-IAM5 finding,
   * e.g. `^Resource::<DataBucket[0-9A-F]+\.Arn>/train/\*$` or `^Action::s3:GetObject\*$`.
   */
  readonly pattern: string;
  /** Why this wildcard is needed and bounded. Recorded in the cloud assembly. */
  readonly reason: string;
}

type PolicyDocument = { Statement?: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }> };

/** Flattens a resolved CloudFormation value the way cdk-nag names IAM5 findings. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node !== null && typeof node === 'object') {
    const object = node as Record<string, unknown>;
    if (object['Fn::Join']) {
      const [delimiter, items] = object['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (object['Fn::Sub']) return flatten(object['Fn::Sub']);
    if (object['Fn::GetAtt']) {
      const [resource, attribute] = object['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (object['Fn::ImportValue']) return flatten(object['Fn::ImportValue']);
    if (object.Ref) return `<${flatten(object.Ref)}>`;
  }
  return JSON.stringify(node);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The AwsSolutions-IAM5 findings of one policy document, named as cdk-nag names them (used by
 * the library's own acknowledgements in lib/private/nag.ts).
 * @internal
 */
export function wildcardFindings(document: PolicyDocument | undefined): string[] {
  const findings = new Set<string>();
  for (const statement of document?.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      if (typeof action === 'string' && action.includes('*')) findings.add(`Action::${action}`);
    }
    for (const resource of asArray(statement.Resource).map(flatten)) {
      if (resource.includes('*')) findings.add(`Resource::${resource}`);
    }
  }
  return [...findings];
}

class WildcardAcknowledger implements IAspect {
  constructor(private readonly acknowledgements: WildcardAcknowledgement[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const stack = Stack.of(node);
    const documents: PolicyDocument[] = [];
    if (node instanceof CfnPolicy || node instanceof CfnManagedPolicy) {
      documents.push(stack.resolve(node.policyDocument) as PolicyDocument);
    } else if (node instanceof CfnRole) {
      for (const policy of asArray(stack.resolve(node.policies))) {
        documents.push(stack.resolve((policy as { policyDocument: unknown }).policyDocument) as PolicyDocument);
      }
    } else {
      return;
    }
    for (const finding of documents.flatMap(wildcardFindings)) {
      const match = this.acknowledgements.find((a) => new RegExp(a.pattern).test(finding));
      if (match) {
        Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: match.reason });
      }
    }
  }
}

/**
 * Reviewed wildcard permissions: acknowledges cdk-nag's AwsSolutions-IAM5 findings that match a
 * reviewed pattern, each with its reason.
 */
export class WildcardPermissions {
  /**
   * Acknowledges cdk-nag's AwsSolutions-IAM5 (wildcard permission) findings below `scope` that
   * match one of the reviewed patterns, each with its reason. Findings that match no pattern stay
   * reported, so a new, unreviewed wildcard still fails validation.
   *
   * Use it in an app or a test, never inside a reusable construct.
   */
  public static acknowledge(scope: IConstruct, acknowledgements: WildcardAcknowledgement[]): void {
    acknowledge(scope, acknowledgements);
  }

  private constructor() {}
}

/**
 * TypeScript alias of {@link WildcardPermissions.acknowledge} (jsii publishes only the class).
 * @internal
 */
export function acknowledgeWildcardPermissions(scope: IConstruct, acknowledgements: WildcardAcknowledgement[]): void {
  WildcardPermissions.acknowledge(scope, acknowledgements);
}

function acknowledge(scope: IConstruct, acknowledgements: WildcardAcknowledgement[]): void {
  // The findings are computed during construct validation, which runs after aspects and after
  // cross-stack references are resolved, and before cdk-nag's validation plugins read the
  // templates: the finding names then match cdk-nag's exactly. It adds acknowledgements and
  // reports no problem of its own.
  const acknowledger = new WildcardAcknowledger(acknowledgements);
  scope.node.addValidation({
    validate: () => {
      for (const node of scope.node.findAll()) acknowledger.visit(node);
      return [];
    },
  });
}
