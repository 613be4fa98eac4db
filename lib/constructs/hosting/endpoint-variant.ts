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
 * How an endpoint routes requests to the instances of a variant.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantRoutingConfig.html
 */
export enum RoutingStrategy {
  /** To the instances that have more capacity to process the request. */
  LEAST_OUTSTANDING_REQUESTS = 'LEAST_OUTSTANDING_REQUESTS',
  /** To a randomly chosen instance. */
  RANDOM = 'RANDOM',
}

/**
 * Properties of a variant that hosts inference components: the variant names no model; each
 * `InferenceComponent` places a model on its instances with its own CPU, memory and
 * accelerators, and SageMaker scales the instances (managed instance scaling) to fit the
 * components' copies.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantManagedInstanceScaling.html
 */
export interface InferenceComponentVariantProps {
  /** The instance type, e.g. `InstanceType.ML_G5_2XLARGE`. */
  readonly instanceType: InstanceType;
  /**
   * How many instances the variant starts with (between `minInstanceCount`, at least 1, and
   * `maxInstanceCount`).
   * @default 1
   */
  readonly initialInstanceCount?: number;
  /**
   * The fewest instances managed instance scaling keeps. 0 lets the endpoint scale to zero
   * instances once every inference component on it has scaled to zero copies (give each
   * component `autoScaleCopyCount({ minCopies: 0, ... }).scaleOutFromZero()`).
   * @default 1
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
   */
  readonly minInstanceCount?: number;
  /**
   * The most instances managed instance scaling provisions.
   * @default - the initial instance count
   */
  readonly maxInstanceCount?: number;
  /**
   * How requests are routed to the instances.
   * @default - SageMaker's default routing
   */
  readonly routingStrategy?: RoutingStrategy;
  /**
   * The variant name; inference components name it.
   * @default 'AllTraffic' for a single variant, else `Variant<n>`
   */
  readonly variantName?: string;
  /**
   * The size of the ML storage volume attached to each instance (1 to 512 GiB).
   * @default - SageMaker's default for the instance type
   */
  readonly volumeSize?: Size;
}

/**
 * A production or shadow variant of an endpoint: the model and the capacity it runs on.
 */
export class EndpointVariant {
  /** A variant on dedicated instances. */
  public static instance(props: InstanceVariantProps): EndpointVariant {
    return new EndpointVariant(props.model, props.variantName, props, undefined, undefined);
  }

  /** A serverless variant: capacity per invocation, billed by use. */
  public static serverless(props: ServerlessVariantProps): EndpointVariant {
    return new EndpointVariant(props.model, props.variantName, undefined, props, undefined);
  }

  /**
   * A variant that hosts inference components (several models on shared instances, each with
   * its own compute and copy count), with managed instance scaling that can reach zero
   * instances. Add the models with `new InferenceComponent(...)`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-deploy-models.html
   */
  public static forInferenceComponents(props: InferenceComponentVariantProps): EndpointVariant {
    return new EndpointVariant(undefined, props.variantName, undefined, undefined, props);
  }

  private constructor(
    /** The model the variant serves; undefined for a variant that hosts inference components. */
    public readonly model: IModel | undefined,
    /** The name given, if any. */
    public readonly givenName: string | undefined,
    /** Instance settings, for instance variants. */
    public readonly instanceProps: InstanceVariantProps | undefined,
    /** Serverless settings, for serverless variants. */
    public readonly serverlessProps: ServerlessVariantProps | undefined,
    /** Settings of a variant that hosts inference components. */
    public readonly inferenceComponentProps: InferenceComponentVariantProps | undefined,
  ) {}

  /** True for a serverless variant. */
  public get isServerless(): boolean {
    return this.serverlessProps !== undefined;
  }

  /** True for a variant that hosts inference components. */
  public get hostsInferenceComponents(): boolean {
    return this.inferenceComponentProps !== undefined;
  }

  /** The instance type of an instance or inference-component variant; undefined for serverless. */
  public get instanceType(): InstanceType | undefined {
    return this.instanceProps?.instanceType ?? this.inferenceComponentProps?.instanceType;
  }
}
