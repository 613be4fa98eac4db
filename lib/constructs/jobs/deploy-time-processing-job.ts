import { Token, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import type { CreateProcessingJobRequest } from '@aws-sdk/client-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { validationError } from '../../private/errors';
import { JobOutputReference } from './job-io';
import { JobReference } from './job-reference';
import { ProcessingJob } from './processing-job';

/** Deploy-time runs by job definition, and runs waiting for a job's run (to order them). */
const runsOfJob = new WeakMap<IConstruct, DeployTimeProcessingJob>();
const waitingForJob = new WeakMap<IConstruct, DeployTimeProcessingJob[]>();

/** Properties of a {@link DeployTimeProcessingJob}. */
export interface DeployTimeProcessingJobProps {
  /**
   * The processing job definition to run. Its inputs may read other jobs' outputs (read from
   * their configured S3 prefixes); pipeline parameters and step properties cannot be used here.
   */
  readonly job: ProcessingJob;
}

/**
 * Runs a {@link ProcessingJob} once, at deploy time, as `AWS::SageMaker::ProcessingJob`
 * (for example to prepare reference data or a monitoring baseline with the stack).
 *
 * Semantics, as the CloudFormation reference of `AWS::SageMaker::ProcessingJob` describes them:
 * - the job gets a name SageMaker generates (no fixed name, so a rollback or a replacement
 *   never fails on "already exists");
 * - any change to the job definition replaces the resource, which starts a new job;
 * - deleting the resource (or the stack) stops a running job with `StopProcessingJob` but does
 *   not delete it; its outputs in S3 stay;
 * - when the job reads another job's output and that job also runs at deploy time, this job is
 *   created after it.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-processingjob.html
 */
export class DeployTimeProcessingJob extends Construct {
  /** The ARN of the processing job. @attribute */
  public readonly processingJobArn: string;
  /** The job's status when CloudFormation last read it. @attribute */
  public readonly processingJobStatus: string;
  /** The job definition that runs. */
  public readonly job: ProcessingJob;
  /** Jobs whose outputs this job reads. */
  private readonly producers = new Set<IConstruct>();

  constructor(scope: Construct, id: string, props: DeployTimeProcessingJobProps) {
    super(scope, id);
    this.job = props.job;
    const request = this.withStaticReferences(props.job._renderRequest());
    const cluster = request.ProcessingResources!.ClusterConfig!;
    const network = request.NetworkConfig;
    const resource = new sagemaker.CfnProcessingJob(this, 'Resource', {
      roleArn: request.RoleArn!,
      appSpecification: {
        imageUri: request.AppSpecification!.ImageUri!,
        containerEntrypoint: request.AppSpecification!.ContainerEntrypoint,
        containerArguments: request.AppSpecification!.ContainerArguments,
      },
      processingResources: {
        clusterConfig: {
          instanceType: cluster.InstanceType!,
          instanceCount: cluster.InstanceCount!,
          volumeSizeInGb: cluster.VolumeSizeInGB!,
          volumeKmsKeyId: cluster.VolumeKmsKeyId,
        },
      },
      processingInputs: request.ProcessingInputs?.map((input) => ({
        inputName: input.InputName!,
        s3Input: input.S3Input && {
          s3Uri: input.S3Input.S3Uri!,
          localPath: input.S3Input.LocalPath,
          s3DataType: input.S3Input.S3DataType!,
          s3InputMode: input.S3Input.S3InputMode,
          s3DataDistributionType: input.S3Input.S3DataDistributionType,
          s3CompressionType: input.S3Input.S3CompressionType,
        },
      })),
      processingOutputConfig: request.ProcessingOutputConfig && {
        kmsKeyId: request.ProcessingOutputConfig.KmsKeyId,
        outputs: (request.ProcessingOutputConfig.Outputs ?? []).map((output) => ({
          outputName: output.OutputName!,
          s3Output: output.S3Output && {
            s3Uri: output.S3Output.S3Uri!,
            localPath: output.S3Output.LocalPath,
            s3UploadMode: output.S3Output.S3UploadMode!,
          },
        })),
      },
      stoppingCondition: request.StoppingCondition && { maxRuntimeInSeconds: request.StoppingCondition.MaxRuntimeInSeconds! },
      environment: request.Environment,
      networkConfig: network && {
        enableNetworkIsolation: network.EnableNetworkIsolation,
        enableInterContainerTrafficEncryption: network.EnableInterContainerTrafficEncryption,
        vpcConfig: network.VpcConfig && { securityGroupIds: network.VpcConfig.SecurityGroupIds!, subnets: network.VpcConfig.Subnets! },
      },
    });
    // The job must not start before its role can read the inputs and write the outputs.
    resource.node.addDependency(props.job.role);
    for (const producer of this.producers) {
      const run = runsOfJob.get(producer);
      if (run) resource.node.addDependency(run);
      else waitingForJob.set(producer, [...(waitingForJob.get(producer) ?? []), this]);
    }
    runsOfJob.set(props.job, this);
    for (const consumer of waitingForJob.get(props.job) ?? []) (consumer.node.defaultChild as sagemaker.CfnProcessingJob).node.addDependency(this);
    waitingForJob.delete(props.job);
    this.processingJobArn = resource.attrProcessingJobArn;
    this.processingJobStatus = resource.attrProcessingJobStatus;
  }

  /**
   * Replaces job references: another job's output becomes its configured S3 location; anything
   * else (parameters, step properties) has no value at deploy time and is an error.
   */
  private withStaticReferences(request: Omit<CreateProcessingJobRequest, 'ProcessingJobName'>): Omit<CreateProcessingJobRequest, 'ProcessingJobName'> {
    const unsupported: string[] = [];
    const replace = (value: unknown): unknown => {
      if (typeof value === 'string') {
        if (!JobReference.holdsReference(value)) return value;
        return JobReference._split(value)
          .map((part) => {
            if (typeof part === 'string') return part;
            if (part instanceof JobOutputReference) {
              this.producers.add(part.output.job);
              return part.output.staticUri;
            }
            unsupported.push(part.description);
            return '';
          })
          .join('');
      }
      if (typeof value === 'number') {
        const reference = JobReference.fromNumber(value);
        if (reference) unsupported.push(reference.description);
        return value;
      }
      if (Array.isArray(value)) return value.map(replace);
      if (value !== null && typeof value === 'object' && !Token.isUnresolved(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
      }
      return value;
    };
    const result = replace(request) as Omit<CreateProcessingJobRequest, 'ProcessingJobName'>;
    if (unsupported.length) {
      throw validationError(
        this,
        `the job uses values that only a pipeline knows (${[...new Set(unsupported)].join('; ')}), but a deploy-time job has no pipeline. ` +
          'Use fixed values or S3 locations, or run the job in an MlPipeline step.',
      );
    }
    return result;
  }
}
