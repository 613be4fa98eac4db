import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A physical name for a resource looked up by name (pipelines, model package groups), built from
 * the stack name and the construct path: letters, digits and single hyphens, at most
 * `maxLength` characters, starting and ending with a letter or digit.
 */
export function pathBasedName(scope: Construct, id: string, maxLength: number): string {
  const parts = [Stack.of(scope).stackName, ...scope.node.scopes.slice(2).map((s) => s.node.id), id];
  return parts
    .join('-')
    .replace(/[^a-zA-Z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, maxLength)
    .replace(/-$/, '');
}
