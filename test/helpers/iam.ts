import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IamCheckOptions, LeastPrivilege } from '../../lib/testing/iam-check';

/**
 * Fails (throws) when a stack's template has an identity-policy statement on `Resource: "*"`
 * with a scopable action, or an AWS managed policy on a role.
 */
export function expectLeastPrivilege(stack: Stack, options: IamCheckOptions = {}): void {
  const findings = LeastPrivilege.check(Template.fromStack(stack).toJSON(), options);
  if (findings.length > 0) {
    throw new Error(`IAM check failed for ${stack.node.path}:\n${LeastPrivilege.formatFindings(findings)}`);
  }
}
