import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';

/**
 * Options shared by the deployment policies.
 */
export interface DeploymentPolicyOptions {
  /**
   * Alarms that roll the deployment back when any goes into ALARM during it.
   * @default - no automatic rollback
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
  /**
   * How long the new fleet is watched after all traffic moved before the old one is removed.
   * @default Duration.minutes(0)
   */
  readonly bakeTime?: Duration;
  /**
   * The longest the whole deployment may take.
   * @default - SageMaker's default
   */
  readonly maximumExecutionTimeout?: Duration;
}

/**
 * Options of a blue/green all-at-once deployment.
 */
export interface AllAtOnceDeploymentOptions extends DeploymentPolicyOptions {
  /**
   * The baking period: after all traffic moved to the new fleet, how long the rollback alarms
   * are watched before the old fleet is let go (0 to 1 hour; SageMaker's
   * `TrafficRoutingConfig.WaitIntervalInSeconds`, which its API requires).
   * @default Duration.seconds(0)
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-all-at-once.html
   */
  readonly bakingPeriod?: Duration;
}

/**
 * Options of a canary deployment.
 */
export interface CanaryDeploymentOptions extends DeploymentPolicyOptions {
  /** The share of capacity (1 to 99 percent) that gets traffic first. */
  readonly percent: number;
  /** How long the canary is watched before the rest of the traffic moves. */
  readonly wait: Duration;
}

/**
 * Options of a linear deployment.
 */
export interface LinearDeploymentOptions extends DeploymentPolicyOptions {
  /** The share of capacity (1 to 99 percent) moved in each step. */
  readonly stepPercent: number;
  /** How long each step is watched. */
  readonly wait: Duration;
}

/**
 * Options of a rolling deployment.
 */
export interface RollingDeploymentOptions extends DeploymentPolicyOptions {
  /** The share of capacity (1 to 99 percent) updated per batch. */
  readonly batchPercent: number;
  /** How long each batch is watched. */
  readonly wait: Duration;
}

/** The traffic-shifting modes SageMaker supports. */
export enum DeploymentType {
  /** Blue/green, all traffic at once. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
  /** Blue/green, a canary share first. */
  CANARY = 'CANARY',
  /** Blue/green, equal steps. */
  LINEAR = 'LINEAR',
  /** In place, batch by batch (no second fleet). */
  ROLLING = 'ROLLING',
}

/**
 * How an endpoint moves to a new configuration: blue/green (all at once, canary or linear) or
 * rolling, with alarms that roll it back.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html
 */
export class DeploymentPolicy {
  // `type` is a reserved word in Go, so the jsii API names the mode `deploymentType`.
  /** Blue/green: the new fleet gets all traffic at once, then bakes. */
  public static allAtOnce(options: AllAtOnceDeploymentOptions = {}): DeploymentPolicy {
    return new DeploymentPolicy(DeploymentType.ALL_AT_ONCE, undefined, options.bakingPeriod ?? Duration.seconds(0), options);
  }

  /**
   * Blue/green: a canary share first (e.g. 10% for 10 minutes), then the rest. The canary must be
   * at most half of each variant's instances (so at least 2 instances).
   */
  public static canary(options: CanaryDeploymentOptions): DeploymentPolicy {
    return new DeploymentPolicy(DeploymentType.CANARY, options.percent, options.wait, options);
  }

  /** Blue/green: traffic moves in equal steps of 10-50 % of each variant's instances. */
  public static linear(options: LinearDeploymentOptions): DeploymentPolicy {
    return new DeploymentPolicy(DeploymentType.LINEAR, options.stepPercent, options.wait, options);
  }

  /** Rolling: instances are replaced batch by batch on the same fleet size. */
  public static rolling(options: RollingDeploymentOptions): DeploymentPolicy {
    return new DeploymentPolicy(DeploymentType.ROLLING, options.batchPercent, options.wait, options);
  }

  private constructor(
    /** The traffic-shifting mode. */
    public readonly deploymentType: DeploymentType,
    /** The canary, step or batch size in percent of capacity. */
    public readonly percent: number | undefined,
    /** The wait between steps. */
    public readonly wait: Duration | undefined,
    /** The shared options. */
    public readonly options: DeploymentPolicyOptions,
  ) {}

  /**
   * TypeScript alias of {@link DeploymentPolicy.deploymentType}.
   * @jsii ignore
   */
  public get type(): DeploymentType {
    return this.deploymentType;
  }
}
