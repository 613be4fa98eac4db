// Shared by the monitors of this folder; not exported from the barrel.
import { createHash } from 'crypto';
import { Duration, Lazy, Names, Size, Stack, aws_iam as iam, aws_kms as kms, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InstanceType } from '../core';
import { isConcrete, lengthProblem, throwIfProblems } from '../../private/errors';
import { acknowledgeWildcardResources } from '../../private/nag';
import { assertResourceTypeAvailable } from '../../private/region-support';
import { SageMakerExecutionRole } from '../security';
import { BatchTransformMonitorInput, MonitorDatasetFormat } from './batch-transform-monitor-input';
import { MonitorProps } from './monitor-props';
import { MonitoringSchedule } from './monitoring-schedule';

/** Where a monitoring job reads the data it analyzes: exactly one of the two. */
export interface MonitoringInput {
  readonly endpointInput?: { endpointName: string; localPath: string; s3InputMode: string; s3DataDistributionType: string };
  readonly batchTransformInput?: {
    dataCapturedDestinationS3Uri: string;
    datasetFormat: ReturnType<MonitorDatasetFormat['_render']>;
    localPath: string;
    s3InputMode: string;
    s3DataDistributionType: string;
  };
}

/** What a monitor renders from the shared properties. */
export interface MonitorBasics {
  readonly role: iam.IRole;
  readonly schedule: MonitoringSchedule;
  readonly outputUri: string;
  readonly key?: kms.IKey;
  readonly resources: { clusterConfig: { instanceCount: number; instanceType: string; volumeSizeInGb: number; volumeKmsKeyId?: string } };
  readonly network: { enableNetworkIsolation: boolean; enableInterContainerTrafficEncryption: boolean; vpcConfig?: { securityGroupIds: string[]; subnets: string[] } };
  readonly stoppingCondition: { maxRuntimeInSeconds: number };
  /** The endpoint or batch transform input, without the attributes of a monitoring type. */
  readonly input: MonitoringInput;
}

/** The input with the attributes a monitoring type adds (inference, probability, ...), on whichever input is set. */
export function jobInput<T extends object>(basics: MonitorBasics, attributes: T): { endpointInput?: MonitoringInput['endpointInput'] & T; batchTransformInput?: MonitoringInput['batchTransformInput'] & T } {
  const { endpointInput, batchTransformInput } = basics.input;
  return endpointInput ? { endpointInput: { ...endpointInput, ...attributes } } : { batchTransformInput: { ...batchTransformInput!, ...attributes } };
}

/** The problems of the endpoint, or of the batch transform input. */
function inputProblems(props: MonitorProps): string[] {
  const problems: string[] = [];
  const { endpoint, batchTransform } = props;
  if (endpoint && batchTransform) {
    problems.push(
      `both endpoint (${endpoint.node.path}) and batchTransform are set, but a monitoring job reads one input; give one of them and create a second monitor for the other.`,
    );
    return problems;
  }
  if (!endpoint && !batchTransform) {
    problems.push('neither endpoint nor batchTransform is set; give the endpoint to monitor, or the captured data of a batch transform job (TransformJob.monitorInput()).');
    return problems;
  }
  if (endpoint) {
    const capture = endpoint.dataCapture;
    if (endpoint.isServerless) {
      problems.push(`endpoint ${endpoint.node.path} serves serverless variants, which Model Monitor does not support; monitor an instance-backed endpoint.`);
    }
    if (!capture) {
      problems.push(`endpoint ${endpoint.node.path} has no data capture, so there is nothing to monitor; set dataCapture on the endpoint.`);
    } else if (isConcrete(capture.samplingPercentage) && capture.samplingPercentage === 0) {
      problems.push(`endpoint ${endpoint.node.path} captures 0 % of requests, so the monitor would see no data; raise dataCapture.samplingPercentage.`);
    } else if (!capture.captureInput) {
      problems.push(`endpoint ${endpoint.node.path} does not capture requests (captureInput is false); the monitor needs them.`);
    }
    return problems;
  }
  const uri = captureUri(batchTransform!);
  // DataCapturedDestinationS3Uri: at most 512 characters.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BatchTransformInput.html
  const length = lengthProblem('batchTransform capture URI', uri, 1, 512, 'shorten capturePrefix');
  if (length) problems.push(length);
  return problems;
}

/** The S3 URI of a batch transform job's captured data. */
function captureUri(input: BatchTransformMonitorInput): string {
  return `s3://${input.captureBucket.bucketName}/${input.capturePrefix}`;
}

/** Checks the shared rules and prepares the role, grants and rendered fragments. */
export function prepareMonitor(scope: Construct, props: MonitorProps, monitorType: string, extraProblems: string[] = []): MonitorBasics {
  const problems = [...extraProblems, ...inputProblems(props)];
  const schedule = props.schedule ?? MonitoringSchedule.hourly();
  const maxRuntime = props.maxRuntime ?? Duration.hours(1);
  if (schedule.interval && isConcrete(maxRuntime.toSeconds()) && maxRuntime.toSeconds() > schedule.interval.toSeconds()) {
    problems.push(
      `maxRuntime is ${maxRuntime.toSeconds()} s, above the schedule's interval of ${schedule.interval.toSeconds()} s: a run must end before the next starts; lower maxRuntime or run less often.`,
    );
  }
  throwIfProblems(scope, problems);
  // Each monitor kind is one job definition type (data-quality -> DataQualityJobDefinition, ...).
  const jobDefinitionType = `AWS::SageMaker::${monitorType.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}JobDefinition`;
  assertResourceTypeAvailable(scope, jobDefinitionType, `A ${monitorType.replace('-', ' ')} monitor`, 'Leave the monitor out of stacks in this region, or deploy it to a region that offers the type.');

  // Where the captured data is: the endpoint's data capture, or the transform job's.
  const endpointCapture = props.endpoint?.dataCapture;
  const batch = props.batchTransform;
  const capture = endpointCapture
    ? { bucket: endpointCapture.bucket, prefix: endpointCapture.prefix, key: endpointCapture.encryptionKey }
    : batch
      ? { bucket: batch.captureBucket, prefix: batch.capturePrefix, key: batch.encryptionKey }
      : undefined;
  const key = props.encryptionKey ?? props.outputBucket.encryptionKey;
  const outputPrefix = props.outputPrefix ?? `monitoring/${monitorType}/`;
  let role = props.role;
  if (!role) {
    const created = new SageMakerExecutionRole(scope, 'Role', { description: `Runs the ${monitorType} monitor ${scope.node.path}` });
    created.grantLogging();
    created.grantMetrics();
    if (props.network) created.grantVpcAccess(props.network.vpc);
    if (key) created.grantKeyUse(key);
    if (capture) {
      created.grantReadPrefix(capture.bucket, capture.prefix);
      if (capture.key) created.grantKeyUse(capture.key);
    }
    if (props.baseline) {
      // The baseline is a few known files: the role reads exactly those objects (no wildcard).
      const { bucket, keys } = props.baseline;
      created.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: keys.map((k) => bucket.arnForObjects(k)) }));
      created.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringEquals: { 's3:prefix': keys } } }));
      created.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }));
      bucket.encryptionKey?.grant(created, 'kms:Decrypt', 'kms:DescribeKey');
    }
    created.grantWritePrefix(props.outputBucket, outputPrefix);
    acknowledgeWildcardResources(
      created,
      [...(capture ? [capture.bucket.arnForObjects(`${capture.prefix}*`)] : []), props.outputBucket.arnForObjects(`${outputPrefix}*`)],
      "Objects under the data-capture prefix of the endpoint or batch transform job (read) and the monitor's output prefix (written) only: SageMaker names the captured files per hour and the monitoring reports per run, at run time.",
    );
    role = created;
  }
  const instanceType = props.instanceType ?? InstanceType.ML_M5_XLARGE;
  // The input of the monitoring job. LocalPath: where the container finds the data.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_EndpointInput.html
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BatchTransformInput.html
  const input: MonitoringInput = props.endpoint
    ? {
      endpointInput: {
        endpointName: props.endpoint.endpointName,
        localPath: '/opt/ml/processing/input/endpoint',
        s3InputMode: 'File',
        s3DataDistributionType: 'FullyReplicated',
      },
    }
    : {
      batchTransformInput: {
        dataCapturedDestinationS3Uri: captureUri(batch!),
        datasetFormat: batch!.datasetFormat._render(),
        localPath: '/opt/ml/processing/input',
        s3InputMode: 'File',
        s3DataDistributionType: 'FullyReplicated',
      },
    };
  return {
    role,
    schedule,
    key,
    outputUri: `s3://${props.outputBucket.bucketName}/${outputPrefix}`,
    resources: {
      clusterConfig: {
        instanceCount: 1,
        instanceType: instanceType.name,
        volumeSizeInGb: (props.volumeSize ?? Size.gibibytes(20)).toGibibytes(),
        volumeKmsKeyId: key && !instanceType.hasLocalNvmeStorage ? key.keyArn : undefined,
      },
    },
    network: {
      enableNetworkIsolation: true,
      enableInterContainerTrafficEncryption: true,
      vpcConfig: props.network ? { securityGroupIds: [props.network.securityGroup.securityGroupId], subnets: props.network.subnetIds } : undefined,
    },
    stoppingCondition: { maxRuntimeInSeconds: maxRuntime.toSeconds() },
    input,
  };
}

/** The monitoring schedule resource of a job definition. */
export function createSchedule(
  scope: Construct,
  basics: MonitorBasics,
  monitoringType: string,
  jobDefinition: Construct,
  jobDefinitionName: string,
): sagemaker.CfnMonitoringSchedule {
  const schedule = new sagemaker.CfnMonitoringSchedule(scope, 'Schedule', {
    // SageMaker requires a name; it is derived from the construct path and stays stable.
    monitoringScheduleName: Names.uniqueResourceName(scope, { maxLength: 63, separator: '-' }).replace(/[^a-zA-Z0-9-]/g, '-'),
    monitoringScheduleConfig: {
      monitoringJobDefinitionName: jobDefinitionName,
      monitoringType,
      scheduleConfig: {
        scheduleExpression: basics.schedule.expression,
        dataAnalysisStartTime: basics.schedule.dataAnalysisStartTime,
        dataAnalysisEndTime: basics.schedule.dataAnalysisEndTime,
      },
    },
  });
  schedule.node.addDependency(jobDefinition);
  return schedule;
}

/** Makes a job definition wait for the role's policies and the baseline job. */
export function addDependencies(resource: Construct, role: iam.IRole, baselineDependable?: Construct): void {
  resource.node.addDependency(role);
  if (baselineDependable) resource.node.addDependency(baselineDependable);
}

/**
 * A job definition name that changes whenever the definition does. Job definitions cannot be
 * updated (every change replaces them), and CloudFormation cannot replace a resource whose fixed
 * name stays the same; the schedule needs the name, and the resource returns none of its own.
 */
export function jobDefinitionName(scope: Construct, rendered: () => unknown): string {
  return Lazy.string({
    produce: () => {
      const hash = createHash('sha256').update(JSON.stringify(Stack.of(scope).resolve(rendered()))).digest('hex').slice(0, 8);
      const base = Names.uniqueResourceName(scope, { maxLength: 54, separator: '-' }).replace(/[^a-zA-Z0-9-]/g, '-').replace(/-+$/, '');
      return `${base}-${hash}`;
    },
  });
}

/** Where a monitoring job writes its reports, encrypted with the monitor's key. */
export function outputConfig(basics: MonitorBasics) {
  return {
    kmsKeyId: basics.key?.keyArn,
    monitoringOutputs: [{ s3Output: { s3Uri: basics.outputUri, localPath: '/opt/ml/processing/output', s3UploadMode: 'EndOfJob' } }],
  };
}
