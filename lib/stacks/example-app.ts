import { App, Environment } from 'aws-cdk-lib';
import { HostingModesStack } from './hosting-modes-stack';
import { InferenceStack, InferenceStage } from './inference-stack';
import { MlPlatformStack } from './platform-stack';
import { PromotionStack } from './promotion-stack';
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
  /** Real-time (and serverless) inference: production. */
  readonly inference: InferenceStack;
  /** The staging inference stack a promotion deploys first (CPU profile). */
  readonly staging?: InferenceStack;
  /** The promotion pipeline from the registry to staging and production (CPU profile). */
  readonly promotion?: PromotionStack;
  /** The asynchronous, A/B and scale-to-zero endpoints (CPU profile). */
  readonly hostingModes?: HostingModesStack;
}

/**
 * Adds the example stacks to `app`: for each selected profile, stacks named
 * `SageMaker<Profile>-<Part>` (for example `SageMakerCpu-Platform`). The CPU profile gets the
 * whole MLOps loop: a staging inference stack, the promotion pipeline, and retraining when the
 * production endpoint's data quality monitor finds violations.
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
    const registry = training.registry;
    const inference = new InferenceStack(app, `${prefix}-Inference`, { env, platform, registry });
    if (profile === ComputeProfile.GPU) {
      // GPU: no second ml.p3 endpoint for staging; deploy a newer approved version with
      // cdk deploy --parameters ModelVersionArn=<version ARN>.
      result[profile] = { platform, training, inference };
      continue;
    }
    const staging = new InferenceStack(app, `${prefix}-InferenceStaging`, { env, platform, registry, stage: InferenceStage.STAGING });
    const promotion = new PromotionStack(app, `${prefix}-Promotion`, { env, platform, registry, staging, production: inference });
    // Retraining: a monitoring execution that finds violations starts the training pipeline
    // (where the region has monitors: none in the China regions, see InferenceStack).
    if (inference.monitor) {
      training.pipeline.startOnMonitorViolations(inference.monitor, { description: 'Retrain the loan-default model when the data quality monitor finds violations' });
    }
    const hostingModes = new HostingModesStack(app, `${prefix}-HostingModes`, { env, platform, registry });
    result[profile] = { platform, training, inference, staging, promotion, hostingModes };
  }
  return result;
}
