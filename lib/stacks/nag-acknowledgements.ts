import { aws_s3 as s3 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgeWildcardResources } from '../private/nag';

/**
 * The reviewed cdk-nag findings that the example stacks' own choices cause, each with its
 * reason. Findings of the library's constructs are fixed or acknowledged inside the constructs
 * (docs/acknowledgements.md); only what an example stack chooses beyond the defaults is here.
 */

/**
 * The example platform lets its data scientists read every object of the data and artifacts
 * buckets (`grantReadPrefix(bucket)` without a prefix): a choice of the example, acknowledged on
 * those roles for exactly those buckets.
 */
export function acknowledgeDataScienceReadAccess(roles: IConstruct[], buckets: s3.IBucket[]): void {
  for (const role of roles) {
    acknowledgeWildcardResources(
      role,
      buckets.map((bucket) => bucket.arnForObjects('*')),
      'Example choice: data scientists explore all raw data and model artifacts of the platform (read only); they write only under their own users/<profile>/ prefix.',
    );
  }
}

/**
 * The loan-notes insights workflow moderates the document image each execution names in its
 * input, so its role reads the objects under the documents prefix: the example's choice of a
 * per-execution key (a fixed key would need no wildcard), acknowledged on that role for exactly
 * that prefix.
 */
export function acknowledgeExecutionNamedDocuments(role: IConstruct, documentsArn: string, prefix: string): void {
  acknowledgeWildcardResources(
    role,
    [documentsArn],
    `Example choice: the workflow moderates the document image named in each execution's input, so it may read the objects under ${prefix} of the data bucket (s3:GetObject only).`,
  );
}
