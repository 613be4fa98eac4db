import { Duration, Size } from 'aws-cdk-lib';
import { InstanceType } from '../core';
import { IModel } from './model';

/**
 * Properties of an instance-backed variant.
 */
export interface InstanceVariantProps {
  /** The model the variant serves. */
  readonly model: IModel;
  /** The instance type, e.g. `InstanceType.ML_C5_XLARGE`. */
  readonly instanceType: InstanceType;
  /**
   * How many instances the variant starts with (the autoscaling range must contain it).
   * @default 1
   */
  readonly initialInstanceCount?: number;
  /**
   * The variant's share of traffic relative to the other variants' weights (A/B tests).
   * @default 1
   */
  readonly initialVariantWeight?: number;
  /**
   * The variant name; deployment guardrails need it to stay the same across updates.
   * @default 'AllTraffic' for a single variant, else `Variant<n>`
   */
  readonly variantName?: string;
  /**
   * The size of the ML storage volume attached to each instance (1 to 512 GiB).
   * @default - SageMaker's default for the instance type
   */
  readonly volumeSize?: Size;
  /**
   * How long SageMaker may take to download the model (60 s to 1 hour).
   * @default - SageMaker's default
   */
  readonly modelDataDownloadTimeout?: Duration;
  /**
   * How long the container may take to pass its first health check (60 s to 1 hour).
   * @default - SageMaker's default
   */
  readonly containerStartupHealthCheckTimeout?: Duration;
}

/**
 * Properties of a serverless variant.
 */
export interface ServerlessVariantProps {
  /** The model the variant serves. */
  readonly model: IModel;
  /** Memory for each invocation: 1024 to 6144 MB in steps of 1024 MB. */
  readonly memorySize: Size;
  /** The most concurrent invocations (1 to 200). */
  readonly maxConcurrency: number;
  /**
   * Concurrency kept warm (at most `maxConcurrency`).
   * @default - none (cold starts possible)
   */
  readonly provisionedConcurrency?: number;
  /**
   * The variant name.
   * @default 'AllTraffic'
   */
  readonly variantName?: string;
}

/**
 * A production or shadow variant of an endpoint: the model and the capacity it runs on.
 */
export class EndpointVariant {
  /** A variant on dedicated instances. */
  public static instance(props: InstanceVariantProps): EndpointVariant {
    return new EndpointVariant(props.model, props.variantName, props, undefined);
  }

  /** A serverless variant: capacity per invocation, billed by use. */
  public static serverless(props: ServerlessVariantProps): EndpointVariant {
    return new EndpointVariant(props.model, props.variantName, undefined, props);
  }

  private constructor(
    /** The model the variant serves. */
    public readonly model: IModel,
    /** The name given, if any. */
    public readonly givenName: string | undefined,
    /** Instance settings, for instance variants. */
    public readonly instanceProps: InstanceVariantProps | undefined,
    /** Serverless settings, for serverless variants. */
    public readonly serverlessProps: ServerlessVariantProps | undefined,
  ) {}

  /** True for a serverless variant. */
  public get isServerless(): boolean {
    return this.serverlessProps !== undefined;
  }
}
