import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { wildcardFindings } from '../testing/acknowledge';

/**
 * cdk-nag acknowledgements the library makes on its own internals (never on what a user
 * chooses). Each one is listed in docs/acknowledgements.md, and
 * test/user-apps/acknowledgements-doc.test.ts checks that the table covers every one.
 */

/** The two compliance packs whose rule ids share a suffix (`HIPAA.Security-X`, `NIST.800.53.R5-X`). */
const COMPLIANCE_PACKS = ['HIPAA.Security', 'NIST.800.53.R5'];

/**
 * Acknowledges findings on `scope` (and its children) with one reason. An id without a pack
 * prefix (e.g. `LambdaDLQ`) stands for both the HIPAA Security and the NIST 800-53 R5 rule;
 * a full id (`AwsSolutions-SF1`, `HIPAA.Security-...`) is taken as is.
 */
export function acknowledgeFindings(scope: IConstruct, ids: string[], reason: string): void {
  const expanded = ids.flatMap((id) => (id.includes('-') ? [id] : COMPLIANCE_PACKS.map((pack) => `${pack}-${id}`)));
  Validations.of(scope).acknowledge(...expanded.map((id) => ({ id, reason })));
}

/**
 * Acknowledges the AwsSolutions-IAM5 (wildcard resource) findings of exactly these resource
 * ARNs in the policies below `scope` (the construct's own role or policy), with one reason.
 * The ARNs are the ones the construct itself put in its statements; they are resolved at
 * synth (after logical ids and cross-stack references are final) and named the way cdk-nag
 * names its findings, so any other wildcard stays reported.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: string[], reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const stack = Stack.of(scope);
      const findings = wildcardFindings({ Statement: [{ Effect: 'Allow', Resource: resources.map((r) => stack.resolve(r)) }] });
      if (findings.length > 0) {
        Validations.of(scope).acknowledge(...findings.map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })));
      }
      return [];
    },
  });
}

/** The actions without resource types acknowledged on each scope so far, and why each is needed. */
const actionsWithoutResourceTypes = new WeakMap<IConstruct, { actions: string[]; whys: string[] }>();

/**
 * Acknowledges the AwsSolutions-IAM5 `Resource::*` finding of the policies below `scope` (the
 * construct's own role or policy) for statements whose actions support no resource-level
 * permissions, naming those actions in the reason. Calls on the same scope add to one
 * acknowledgement whose reason names every action (one finding, one reason, not one per call).
 */
export function acknowledgeActionsWithoutResourceTypes(scope: IConstruct, actions: string[], why?: string): void {
  const existing = actionsWithoutResourceTypes.get(scope);
  if (existing) {
    existing.actions.push(...actions.filter((action) => !existing.actions.includes(action)));
    if (why && !existing.whys.includes(why)) existing.whys.push(why);
    return;
  }
  const entry = { actions: [...actions], whys: why ? [why] : [] };
  actionsWithoutResourceTypes.set(scope, entry);
  scope.node.addValidation({
    validate: () => {
      const reason = `${entry.actions.join(', ')} support no resource-level permissions, so IAM requires "*"${entry.whys.map((w) => `; ${w}`).join('')}. Every other statement of the policy names its resources.`;
      Validations.of(scope).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
      return [];
    },
  });
}
