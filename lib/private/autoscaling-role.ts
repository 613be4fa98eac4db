// Shared by the endpoint variants' and inference components' scalable targets; not exported.
import { Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Application Auto Scaling's service-linked role for SageMaker (created on first use), so no
 * role of our own is created for a scalable target. One import per scope.
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html
 */
export function sageMakerAutoScalingRole(scope: Construct): iam.IRole {
  const existing = scope.node.tryFindChild('AutoScalingRole') as iam.IRole | undefined;
  if (existing) return existing;
  return iam.Role.fromRoleArn(
    scope,
    'AutoScalingRole',
    Stack.of(scope).formatArn({
      service: 'iam',
      region: '',
      resource: 'role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com',
      resourceName: 'AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
    }),
  );
}
