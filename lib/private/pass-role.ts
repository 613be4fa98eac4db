import { aws_iam as iam } from 'aws-cdk-lib';

/**
 * Lets a principal pass exactly `role` to `service` (e.g. `sagemaker.amazonaws.com`) and to no
 * other service (`iam:PassedToService`).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 */
export function passRoleStatement(role: iam.IRole, service: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [role.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': service } },
  });
}
