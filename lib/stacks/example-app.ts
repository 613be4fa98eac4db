import { App, Environment } from 'aws-cdk-lib';
import { InferenceStack } from './inference-stack';
import { MlPlatformStack } from './platform-stack';
import { TrainingPipelineStack } from './training-pipeline-stack';
import { ComputeProfile } from './profile';

/**
 * Options of {@link buildExampleApp}.
 */
export interface ExampleAppOptions {
  /**
   * Which profiles to build: `cpu`, `gpu` or `all`.
   * @default 'all'
   */
  readonly profile?: string;
  /**
   * The account to deploy to.
   * @default - env-agnostic
   */
  readonly account?: string;
  /**
   * The region to deploy to.
   * @default - env-agnostic
   */
  readonly region?: string;
}

/** The stacks of one profile. */
export interface ExampleProfileStacks {
  /** The platform base. */
  readonly platform: MlPlatformStack;
  /** The training pipeline. */
  readonly training: TrainingPipelineStack;
  /** Real-time (and serverless) inference. */
  readonly inference: InferenceStack;
}

/**
 * Adds the example stacks to `app`: for each selected profile, stacks named
 * `SageMaker<Profile>-<Part>` (for example `SageMakerCpu-Platform`).
 */
export function buildExampleApp(app: App, options: ExampleAppOptions = {}): Record<string, ExampleProfileStacks> {
  const selected = options.profile ?? 'all';
  const profiles: ComputeProfile[] = [];
  if (selected === 'all') {
    profiles.push(ComputeProfile.CPU, ComputeProfile.GPU);
  } else if (selected === ComputeProfile.CPU || selected === ComputeProfile.GPU) {
    profiles.push(selected);
  } else {
    throw new Error(`Unknown profile "${selected}": use -c profile=cpu, -c profile=gpu or -c profile=all.`);
  }
  const env: Environment | undefined = options.account || options.region ? { account: options.account, region: options.region } : undefined;

  const result: Record<string, ExampleProfileStacks> = {};
  for (const profile of profiles) {
    const prefix = `SageMaker${profile === ComputeProfile.GPU ? 'Gpu' : 'Cpu'}`;
    const platform = new MlPlatformStack(app, `${prefix}-Platform`, { env, profile });
    const training = new TrainingPipelineStack(app, `${prefix}-Training`, { env, platform });
    const inference = new InferenceStack(app, `${prefix}-Inference`, { env, platform });
    result[profile] = { platform, training, inference };
  }
  return result;
}
