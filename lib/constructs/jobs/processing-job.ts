import * as fs from 'fs';
import { Duration, Size, aws_iam as iam, aws_s3 as s3, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import type { CreateProcessingJobRequest, ProcessingInput as SdkProcessingInput, ProcessingInstanceType, ProcessingOutput as SdkProcessingOutput } from '@aws-sdk/client-sagemaker';
import { Construct } from 'constructs';
import { ContainerImage, SourceCode } from '../core';
import { PROCESSING_ENVIRONMENT, environmentProblems } from '../../private/api-limits';
import { throwIfProblems, validationError } from '../../private/errors';
import { IJobDefinition, JobKind } from './job-definition';
import { JobOutput, S3Location } from './job-io';
import { Distribution } from './training-input';
import { JobComputeProps, allowEncryptedInterContainerTraffic, computeProblems, grantReadLocation, grantWritePrefix, jobRole, jobVpcConfig, volumeKeyId } from './job-support';
import { processorProblem } from '../../private/processor-match';
import { grantReadObject, objectFileName } from '../../private/s3-objects';
import { grantablePrefix } from '../../private/grantable-prefix';

/**
 * An input of a processing job: an S3 location copied to a folder of the container.
 */
export interface ProcessingInputProps {
  /** The input's name. */
  readonly inputName: string;
  /** Where the data is. */
  readonly source: S3Location;
  /**
   * The folder the data is copied to.
   * @default `/opt/ml/processing/input/<inputName>`
   */
  readonly localPath?: string;
  /**
   * How the objects are spread over the instances of a multi-instance job.
   * @default Distribution.FULLY_REPLICATED
   */
  readonly distribution?: Distribution;
}

/**
 * An output of a processing job: a container folder uploaded to S3 when the job ends.
 */
export interface ProcessingOutputProps {
  /** The output's name (other jobs read it with `job.output(name)`). */
  readonly outputName: string;
  /** The bucket the output goes to. */
  readonly bucket: s3.IBucket;
  /** The key prefix the output goes to, e.g. `prepared/train/`. */
  readonly prefix: string;
  /**
   * The folder the container writes the output to.
   * @default `/opt/ml/processing/<outputName>`
   */
  readonly localPath?: string;
}

/**
 * Properties of a {@link ProcessingJob}.
 */
export interface ProcessingJobProps extends JobComputeProps {
  /** The processing image, e.g. `ContainerImage.sklearn('1.2-1')`. */
  readonly image: ContainerImage;
  /**
   * A local Python script to run (the SDK's ScriptProcessor): uploaded as an asset, copied to
   * `/opt/ml/processing/input/code/` and run with `python3`. SageMaker names the copy after the
   * asset's object key (`<hash>.py`), not after your file, so the entrypoint names that file;
   * read your own arguments with argparse rather than from `sys.argv[0]`.
   * @default - the image's own entrypoint, or `entrypoint`
   */
  readonly script?: string;
  /**
   * A source directory (several files, e.g. a package and its helpers) to run, as the SDK's
   * FrameworkProcessor does: the archive is copied to `/opt/ml/processing/input/code/`,
   * unpacked there and its entry point run with `python3`. Use either `script` or `code`.
   * @default - no source directory
   */
  readonly code?: SourceCode;
  /**
   * The container entrypoint.
   * @default ['python3', '/opt/ml/processing/input/code/<script>'] with a script; a shell that
   * unpacks and runs the entry point with `code`; else the image's
   */
  readonly entrypoint?: string[];
  /**
   * Arguments passed to the entrypoint.
   * @default - none
   */
  readonly arguments?: string[];
  /**
   * The inputs.
   * @default - none
   */
  readonly inputs?: ProcessingInputProps[];
  /**
   * The outputs.
   * @default - none
   */
  readonly outputs?: ProcessingOutputProps[];
}

/** Where the script or source directory is copied in the container. */
const CODE_DIR = '/opt/ml/processing/input/code';

/** SageMaker's limits on processing inputs and outputs. */
const MAX_INPUTS = 10;
const MAX_OUTPUTS = 10;

/**
 * A processing job definition (preprocessing, evaluation, baselining): renders a
 * `CreateProcessingJob` request; a runner (a pipeline step, or deploy time) runs it.
 */
export class ProcessingJob extends Construct implements IJobDefinition {
  public readonly kind = JobKind.PROCESSING;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  private readonly props: ProcessingJobProps;
  private readonly imageUri: string;
  /** The script input; `name` is the file name it lands under, unknown when the asset key is a token. */
  private readonly scriptInput?: { uri: string; name?: string };
  /** The source-directory input; `archive` is the file name it lands under, when known at synth. */
  private readonly codeInput?: { uri: string; entryPoint: string; archive?: string };

  constructor(scope: Construct, id: string, props: ProcessingJobProps) {
    super(scope, id);
    const problems = computeProblems(props);
    const inputs = props.inputs ?? [];
    const outputs = props.outputs ?? [];
    if (inputs.length > MAX_INPUTS) problems.push(`inputs has ${inputs.length} entries, but a processing job takes at most ${MAX_INPUTS}.`);
    if (outputs.length > MAX_OUTPUTS) problems.push(`outputs has ${outputs.length} entries, but a processing job takes at most ${MAX_OUTPUTS}.`);
    const names = [...inputs.map((i) => i.inputName), ...outputs.map((o) => o.outputName), ...(props.script || props.code ? ['code'] : [])];
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length) problems.push(`input and output names must be unique, but ${[...new Set(repeated)].join(', ')} repeat.`);
    if (props.script && props.code) problems.push('both script and code are set; give one: script for a single file, code for a source directory.');
    if (props.script && (!fs.existsSync(props.script) || !fs.statSync(props.script).isFile())) {
      problems.push(`script "${props.script}" is not a file; give the path of the Python script to run.`);
    }
    const processor = processorProblem(props.image, props.instanceType);
    if (processor) problems.push(processor);
    problems.push(...environmentProblems('environment', props.environment, PROCESSING_ENVIRONMENT));
    throwIfProblems(this, problems);

    this.props = props;
    const { role } = jobRole(this, props, 'processing job');
    this.role = role;
    this.grantPrincipal = role;
    allowEncryptedInterContainerTraffic(this, props.network, props.instanceCount, props.interContainerTrafficEncryption);
    this.imageUri = props.image.bind(this, role).imageUri;
    for (const input of inputs) grantReadLocation(role, input.source);
    // A prefix with a run id (`evaluation/${RunReference.executionId()}/`) is granted up to the id.
    for (const output of outputs) grantWritePrefix(role, output.bucket, grantablePrefix(output.prefix));
    if (props.script) {
      const asset = new s3_assets.Asset(this, 'Script', { path: props.script });
      grantReadObject(role, asset.bucket, asset.s3ObjectKey);
      // An S3Prefix input keeps the object key's last segment: the script lands as <hash>.py.
      this.scriptInput = { uri: asset.s3ObjectUrl, name: objectFileName(asset.s3ObjectKey) };
    }
    if (props.code) {
      const code = props.code.bind(this, role);
      this.codeInput = { uri: code.s3Uri, entryPoint: code.entryPoint, archive: code.fileName };
    }
  }

  /** An output of this job, for other jobs' inputs. */
  public output(outputName: string): JobOutput {
    const output = (this.props.outputs ?? []).find((o) => o.outputName === outputName);
    if (!output) {
      const names = (this.props.outputs ?? []).map((o) => o.outputName).join(', ') || '(none)';
      throw validationError(this, `has no output named "${outputName}"; its outputs are: ${names}.`);
    }
    return new JobOutput(this, outputName, output.bucket, output.prefix, `ProcessingOutputConfig.Outputs['${outputName}'].S3Output.S3Uri`);
  }

  /** The output names, in order. */
  public get outputNames(): string[] {
    return (this.props.outputs ?? []).map((o) => o.outputName);
  }

  /** The local path of an output in the container. */
  public outputLocalPath(outputName: string): string {
    this.output(outputName);
    const output = (this.props.outputs ?? []).find((o) => o.outputName === outputName);
    return output?.localPath ?? `/opt/ml/processing/${outputName}`;
  }

  private defaultEntrypoint(): string[] | undefined {
    if (this.scriptInput) {
      if (this.scriptInput.name) return ['python3', `${CODE_DIR}/${this.scriptInput.name}`];
      // The key is a deploy-time token: the code folder holds exactly that one script.
      return ['/bin/sh', '-c', `exec python3 ${CODE_DIR}/*.py "$@"`, 'processing'];
    }
    if (this.codeInput) {
      // The arguments follow as "$@" ("processing" fills $0). The folder holds only the archive.
      const archive = this.codeInput.archive ?? '*.tar.gz';
      const run = `cd ${CODE_DIR} && tar -xzf ${archive} && exec python3 ${this.codeInput.entryPoint} "$@"`;
      return ['/bin/sh', '-c', run, 'processing'];
    }
    return undefined;
  }

  /**
   * Renders the `CreateProcessingJob` request, without the job name (each runner names jobs).
   * Plumbing for the runners (MlPipeline, MlWorkflow, DeployTimeProcessingJob); typed with the
   * AWS SDK's request type, so not part of the jsii API.
   * @internal
   */
  public _renderRequest(): Omit<CreateProcessingJobRequest, 'ProcessingJobName'> {
    const props = this.props;
    const inputs: SdkProcessingInput[] = (props.inputs ?? []).map((input) => ({
      InputName: input.inputName,
      S3Input: {
        S3Uri: input.source.uri,
        LocalPath: input.localPath ?? `/opt/ml/processing/input/${input.inputName}`,
        S3DataType: 'S3Prefix',
        S3InputMode: 'File',
        S3DataDistributionType: input.distribution ?? Distribution.FULLY_REPLICATED,
      },
    }));
    const code = this.scriptInput ?? this.codeInput;
    if (code) {
      inputs.push({
        InputName: 'code',
        S3Input: { S3Uri: code.uri, LocalPath: CODE_DIR, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' },
      });
    }
    const outputs: SdkProcessingOutput[] = (props.outputs ?? []).map((output) => ({
      OutputName: output.outputName,
      S3Output: {
        S3Uri: `s3://${output.bucket.bucketName}/${output.prefix}`,
        LocalPath: output.localPath ?? `/opt/ml/processing/${output.outputName}`,
        S3UploadMode: 'EndOfJob',
      },
    }));
    const entrypoint = props.entrypoint ?? this.defaultEntrypoint();
    const count = props.instanceCount ?? 1;
    return {
      RoleArn: this.role.roleArn,
      AppSpecification: { ImageUri: this.imageUri, ContainerEntrypoint: entrypoint, ContainerArguments: props.arguments },
      ProcessingInputs: inputs.length ? inputs : undefined,
      ProcessingOutputConfig: outputs.length ? { Outputs: outputs, KmsKeyId: props.encryptionKey?.keyArn } : undefined,
      ProcessingResources: {
        ClusterConfig: {
          InstanceType: props.instanceType.name as ProcessingInstanceType,
          InstanceCount: count,
          VolumeSizeInGB: (props.volumeSize ?? Size.gibibytes(30)).toGibibytes(),
          VolumeKmsKeyId: volumeKeyId(this, props),
        },
      },
      StoppingCondition: { MaxRuntimeInSeconds: (props.maxRuntime ?? Duration.hours(1)).toSeconds() },
      Environment: props.environment,
      NetworkConfig: {
        EnableNetworkIsolation: props.networkIsolation ?? true,
        EnableInterContainerTrafficEncryption: props.interContainerTrafficEncryption ?? true,
        VpcConfig: jobVpcConfig(props.network),
      },
    };
  }
}
