// Helpers of the synchronous AI service state specs (Rekognition, Comprehend); not a spec itself.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** Every statement of the stack's identity policies (managed and inline), resolved. */
export function policyStatements(stack: Stack): Array<Record<string, any>> {
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
}

/** The statements that grant `action` (alone or with others). */
export function statementsWith(stack: Stack, action: string): Array<Record<string, any>> {
  return policyStatements(stack).filter((s) => [s.Action].flat().includes(action));
}
