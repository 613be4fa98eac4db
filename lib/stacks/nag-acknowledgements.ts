import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SecureBucket } from '../constructs/security';
import { acknowledgeWildcardPermissions } from '../testing/acknowledge';

/**
 * The reviewed cdk-nag findings of the example stacks, each with its reason. They are applied
 * to the example stacks (never inside lib/constructs), so the synthesized app records them.
 */
export function acknowledgeExampleStackFindings(stack: IConstruct): void {
  acknowledgeWildcardPermissions(stack, [
    {
      pattern: '^Resource::\\*$',
      reason: 'Only actions without resource-level permissions (EC2 ENI management and Describe*, ecr:GetAuthorizationToken, PutMetricData with a namespace condition, X-Ray, log delivery) are on "*"; the IAM check test verifies each.',
    },
    {
      pattern: '^Resource::<[A-Za-z0-9]+\\.Arn>/[A-Za-z0-9_./-]*\\*$',
      reason: 'Objects under one key prefix of one of the stack\'s buckets: jobs and models read or write files whose names they choose at run time.',
    },
    {
      pattern: '^Resource::arn:.*:logs:.*:log-group:/aws/sagemaker/',
      reason: 'SageMaker names its log groups and streams per job and endpoint at run time; scoped to the /aws/sagemaker/ prefix.',
    },
  ]);
  // Call at the end of the stack's constructor: it looks at the buckets the stack has by then.
  for (const bucket of stack.node.findAll().filter((c): c is SecureBucket => c instanceof SecureBucket)) {
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      const replication = {
        id: `${pack}-S3BucketReplicationEnabled`,
        reason: 'Cross-region replication needs a second region and bucket: a per-deployment disaster-recovery decision. Versioning and RETAIN protect the data in the example.',
      };
      Validations.of(bucket).acknowledge(replication);
      if (bucket.accessLogsBucket.node.scope === bucket) {
        Validations.of(bucket.accessLogsBucket).acknowledge(replication, {
          id: `${pack}-S3DefaultEncryptionKMS`,
          reason: 'Server access log bucket: S3 delivers server access logs only to SSE-S3 buckets. The data bucket uses SSE-KMS.',
        });
      }
    }
  }
}
