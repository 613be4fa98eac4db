import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { InferenceApi } from '../constructs/hosting';
import { StudioDomain } from '../constructs/studio';
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
      pattern: '^Resource::(<[A-Za-z0-9]+\\.Arn>|\\{"Fn::GetStackOutput":.*\\})/[A-Za-z0-9_./-]*\\*$',
      reason: 'Objects under one key prefix of one of the stack\'s buckets: jobs and models read or write files whose names they choose at run time.',
    },
    {
      pattern: '^Resource::arn:.*:sagemaker:.*:(processing-job|training-job|transform-job|model)/pipelines-\\*$',
      reason: 'SageMaker Pipelines names the jobs it starts "pipelines-<execution>-<step>-..." at run time; the pipeline role may only create, describe and stop jobs with that prefix.',
    },
    {
      pattern: '^Resource::arn:.*:sagemaker:.*:(hyper-parameter-tuning-job|model)/\\*$',
      reason: 'Tuning jobs and models created by pipeline steps get generated names; scoped to that resource type in this account and region.',
    },
    {
      pattern: '^Resource::arn:.*:sagemaker:.*:(processing-job|training-job|transform-job|model)/\\*-[a-z0-9-]+$',
      reason: 'Step Functions names jobs and models "<execution name>-<state name>"; the workflow role may only act on names ending in its own state names.',
    },
    {
      pattern: '^Resource::arn:.*:sagemaker:.*:model-package/[A-Za-z0-9-]+/\\*$',
      reason: 'Versions of one model package group are numbered by SageMaker when registered.',
    },
    {
      pattern: '^Resource::arn:.*:glue:.*:table/sagemaker_featurestore/\\*$',
      reason: 'Feature Store names the offline-store Glue table at creation time (feature group name plus a creation timestamp) in its own sagemaker_featurestore database; the offline-store role may read and update tables of that database only.',
    },
    {
      pattern: '^Resource::arn:.*:sagemaker:.*:(app|space)/<[A-Za-z0-9]+\\.DomainId>/\\*$',
      reason: 'Studio execution roles manage the apps and spaces of their own domain only; users start and name them in Studio at run time.',
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

/**
 * The reviewed findings of an InferenceApi stage, with reasons. Apply in the stack (or test)
 * that owns the API.
 */
export function acknowledgeInferenceApiFindings(api: InferenceApi): void {
  const stage = api.api.deploymentStage;
  Validations.of(stage).acknowledge(
    { id: 'AwsSolutions-APIG3', reason: 'WAF is an account-level choice; the API takes IAM-signed requests only and is throttled per stage.' },
    { id: 'NIST.800.53.R5-APIGWAssociatedWithWAF', reason: 'WAF is an account-level choice; the API takes IAM-signed requests only and is throttled per stage.' },
    { id: 'AwsSolutions-APIG6', reason: 'Execution logging needs the account-wide API Gateway CloudWatch role; JSON access logs of every request are on, in a KMS-encrypted log group.' },
    { id: 'HIPAA.Security-APIGWExecutionLoggingEnabled', reason: 'Execution logging needs the account-wide API Gateway CloudWatch role; JSON access logs of every request are on.' },
    { id: 'NIST.800.53.R5-APIGWExecutionLoggingEnabled', reason: 'Execution logging needs the account-wide API Gateway CloudWatch role; JSON access logs of every request are on.' },
    { id: 'HIPAA.Security-APIGWCacheEnabledAndEncrypted', reason: 'Inference responses depend on each request body and must not be cached.' },
    { id: 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted', reason: 'Inference responses depend on each request body and must not be cached.' },
    { id: 'HIPAA.Security-APIGWSSLEnabled', reason: 'The backend is the SageMaker runtime through an AWS integration over TLS, not an HTTP backend that could check a client certificate.' },
    { id: 'NIST.800.53.R5-APIGWSSLEnabled', reason: 'The backend is the SageMaker runtime through an AWS integration over TLS, not an HTTP backend that could check a client certificate.' },
  );
  Validations.of(api.invokeMethod).acknowledge({
    id: 'AwsSolutions-COG4',
    reason: 'Callers are services authorized with IAM (SigV4), not Cognito users.',
  });
}

/**
 * Findings on a Studio domain's teardown custom resource that do not fit a custom-resource
 * handler, or that aws-cdk-lib's Provider framework does not let us change, acknowledged on the
 * provider only.
 */
export function acknowledgeStudioTeardownFindings(domain: StudioDomain): void {
  const provider = domain.node.findChild('Teardown');
  const lambdaReasons: Record<string, string> = {
    'AwsSolutions-L1': "The Provider framework's own functions use the runtime aws-cdk-lib picks; our handlers use the latest Node.js runtime.",
    LambdaConcurrency: 'Runs only during stack operations, a handful of invocations; reserving concurrency would take it from the account pool for nothing.',
    LambdaDLQ: 'Invoked by CloudFormation and the Provider framework, which report every failure back to the stack operation; a dead-letter queue would hold nothing to act on.',
    LambdaInsideVPC: "The Provider framework's functions call Lambda, Step Functions and CloudFormation's response URL, which the private VPC has no endpoints for; our handlers run in the VPC.",
  };
  const waiterReasons: Record<string, string> = {
    'AwsSolutions-SF1': "Waiter logging makes aws-cdk-lib grant logs:CreateLogStream/PutLogEvents on '*'; every poll is logged by the isComplete handler to its encrypted log group instead.",
    'AwsSolutions-SF2': 'The waiter only polls our isComplete handler (which is traced); aws-cdk-lib offers no tracing option for it.',
    IAMNoInlinePolicy: "aws-cdk-lib gives the waiter state machine's role an inline policy and offers no role option; every role of ours uses customer-managed policies.",
  };
  const expand = (reasons: Record<string, string>) =>
    Object.entries(reasons).flatMap(([id, reason]) => (id.includes('-') ? [{ id, reason }] : ['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => ({ id: `${pack}-${id}`, reason }))));
  Validations.of(provider).acknowledge(...expand(lambdaReasons));
  Validations.of(provider.node.findChild('Provider').node.findChild('waiter-state-machine')).acknowledge(...expand(waiterReasons));
  acknowledgeWildcardPermissions(provider, [
    { pattern: '^Resource::arn:.*:sagemaker:.*:(app|space)/<[A-Za-z0-9]+\\.DomainId>/\\*$', reason: 'Apps and spaces of this domain only; users start them with names the handler learns at run time.' },
    { pattern: '^Resource::<[A-Za-z0-9]+\\.Arn>:\\*$', reason: "The Provider framework invokes exactly the handler function's versions and aliases (aws-cdk-lib's own grant)." },
  ]);
}
