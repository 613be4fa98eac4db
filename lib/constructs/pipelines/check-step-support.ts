// Shared by the check steps of this folder; not exported from the barrel.
import { ArnFormat, Duration, Size, Stack, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InstanceType } from '../core';
import { ProcessingJob, ProcessingJobProps } from '../jobs';
import { IModelPackageGroup } from '../registry';
import type { CheckJobResources } from './check-steps';
import { acknowledgeWildcardResources } from '../../private/nag';
import type { StepRenderContext } from './pipeline-step';

/**
 * Lets the pipeline role create, describe and stop the processing jobs of check steps. The SDK's
 * check steps send no ProcessingJobName, so Pipelines names them `pipelines-<execution id>-...`
 * whatever the pipeline's jobNamePrefix.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html
 */
export function grantCheckJobs(context: StepRenderContext): void {
  const arn = Stack.of(context.scope).formatArn({ service: 'sagemaker', resource: 'processing-job', resourceName: 'pipelines-*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  iam.Grant.addToPrincipal({
    grantee: context.pipelineRole,
    actions: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob', 'sagemaker:AddTags'],
    resourceArns: [arn],
  });
  if (context.pipelineRole.node.scope === context.scope) {
    acknowledgeWildcardResources(
      context.pipelineRole,
      [arn],
      'SageMaker Pipelines names the processing jobs of QualityCheck and ClarifyCheck steps at run time ("pipelines-<execution id>-..."); the role may act only on names with that prefix.',
    );
  }
}

/** Lets the pipeline role find the latest Approved version's baseline in the group. */
export function grantReadGroup(context: StepRenderContext, group: IModelPackageGroup): void {
  const grant = group.grantRead(context.pipelineRole);
  if (context.pipelineRole.node.scope === context.scope) {
    acknowledgeWildcardResources(
      context.pipelineRole,
      grant.principalStatements.flatMap((statement) => statement.resources),
      'The versions of one model package group: the check step reads the baseline of its latest Approved version (model-package/<group>/<version>).',
    );
  }
}

/** The processing job of a check step: its own image, inputs and outputs on the shared resources. */
export function checkProcessingJob(
  scope: Construct,
  resources: CheckJobResources,
  outputBucket: s3.IBucket,
  job: Pick<ProcessingJobProps, 'image' | 'inputs' | 'outputs' | 'environment'>,
): ProcessingJob {
  return new ProcessingJob(scope, 'Job', {
    ...job,
    instanceType: resources.instanceType ?? InstanceType.ML_M5_XLARGE,
    instanceCount: resources.instanceCount,
    volumeSize: resources.volumeSize ?? Size.gibibytes(30),
    maxRuntime: resources.maxRuntime ?? Duration.hours(1),
    encryptionKey: resources.encryptionKey ?? outputBucket.encryptionKey,
    network: resources.network,
    role: resources.role,
  });
}
