import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgeWildcardPermissions } from '../../../lib/testing';

/** Reviewed wildcard findings of the security building blocks, shared by their tests. */
export function acknowledgeSecurityFindings(scope: IConstruct): void {
  acknowledgeWildcardPermissions(scope, [
    { pattern: '^Resource::\\*$', reason: 'Only actions without resource-level permissions (ENI management, Describe*, PutMetricData with a namespace condition) are on "*"; the IAM check verifies each.' },
    { pattern: '^Resource::<[A-Za-z0-9]+\\.Arn>/[a-z-]+/\\*$', reason: 'Objects under one key prefix of one bucket: the workload reads or writes files whose names it does not know in advance.' },
    { pattern: '^Resource::arn:.*:logs:.*:log-group:/aws/sagemaker/\\*', reason: 'SageMaker names its log groups and streams per job at run time; scoped to the /aws/sagemaker/ prefix.' },
  ]);
}

/** Bucket findings that are design decisions of SecureBucket, acknowledged with the reason. */
export function acknowledgeBucketFindings(scope: IConstruct): void {
  for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
    Validations.of(scope).acknowledge(
      { id: `${pack}-S3BucketReplicationEnabled`, reason: 'Cross-region replication is a per-deployment disaster-recovery choice (a second region and bucket); versioning and retention protect the data here.' },
      { id: `${pack}-S3DefaultEncryptionKMS`, reason: 'Only the server access log bucket uses SSE-S3: S3 delivers access logs only to SSE-S3 buckets.' },
    );
  }
}
