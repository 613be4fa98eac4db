/**
 * Names from a deployed stack: with `--stack <name>` the CLI reads the stack's CloudFormation
 * outputs so users do not copy bucket names, pipeline names or ARNs by hand.
 *
 * The example stacks export these outputs at stack level (so the output key is exactly the name
 * below, without a hash suffix).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CliError, ExitCode, isNotFound } from './errors';

/** The output keys the CLI reads, and what each holds. */
export const StackOutputKeys = {
  /** Name of the bucket `data upload` writes to (the platform stack's data bucket). */
  DATA_BUCKET_NAME: 'DataBucketName',
  /** ARN of the KMS key that encrypts the data bucket, used for SSE-KMS uploads. */
  DATA_KEY_ARN: 'DataKeyArn',
  /** Name of the SageMaker pipeline `pipeline start|list-executions` runs (the training stack). */
  PIPELINE_NAME: 'PipelineName',
  /** Name of the SageMaker endpoint `endpoint status|invoke` uses (the inference stack). */
  ENDPOINT_NAME: 'EndpointName',
  /** Name of the model package group `model list|approve|reject` works on (the training stack). */
  MODEL_PACKAGE_GROUP_NAME: 'ModelPackageGroupName',
  /** Id of the Studio domain `studio cleanup` empties (the Studio stack). */
  STUDIO_DOMAIN_ID: 'StudioDomainId',
} as const;

/** A stack's outputs, read once per command. */
export class StackOutputs {
  /** Reads the outputs of `stackName`; an unknown stack is a one-line error with exit code 2. */
  static async read(client: CloudFormationClient, stackName: string, region: string): Promise<StackOutputs> {
    try {
      const response = await client.send(new DescribeStacksCommand({ StackName: stackName }));
      const stack = response.Stacks?.[0];
      const values = new Map<string, string>();
      for (const output of stack?.Outputs ?? []) {
        if (output.OutputKey && output.OutputValue !== undefined) values.set(output.OutputKey, output.OutputValue);
      }
      return new StackOutputs(stackName, values);
    } catch (error) {
      if (isNotFound(error)) {
        throw new CliError(`Stack "${stackName}" not found in ${region}. Check --stack and --region.`, ExitCode.BAD_INPUT);
      }
      throw error;
    }
  }

  private constructor(
    readonly stackName: string,
    private readonly values: ReadonlyMap<string, string>,
  ) {}

  /** The value of an output, or undefined. */
  get(key: string): string | undefined {
    return this.values.get(key);
  }

  /** The value of an output; a missing output is an error that lists the outputs the stack has. */
  require(key: string, purpose: string): string {
    const value = this.values.get(key);
    if (value === undefined) {
      const present = [...this.values.keys()].sort().join(', ') || 'none';
      throw new CliError(
        `Stack "${this.stackName}" has no output "${key}" (${purpose}); its outputs are: ${present}. ` +
          'Pass the name explicitly or pick the stack that exports it.',
        ExitCode.BAD_INPUT,
      );
    }
    return value;
  }
}
