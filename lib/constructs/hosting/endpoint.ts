import { createHash } from 'crypto';
import {
  Annotations,
  ArnFormat,
  Aspects,
  Duration,
  IAspect,
  IResource,
  Lazy,
  Resource,
  SizeRoundingBehavior,
  Stack,
  Token,
  aws_cloudwatch as cloudwatch,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sagemaker as sagemaker,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { aws_sagemaker as sagemakerRefs } from 'aws-cdk-lib/interfaces';
import { Construct, IConstruct } from 'constructs';
import { AsyncInferenceOptions, AsyncInputLocation } from './async-inference';
import { DataCaptureInfo, DataCaptureOptions } from './data-capture';
import { DeploymentPolicy, DeploymentType } from './deployment-policy';
import { EndpointVariant, InferenceComponentVariantProps } from './endpoint-variant';
import { Model } from './model';
import { ScalableInstanceCount, ScalableProvisionedConcurrency, ScalingRange } from './scalable-capacity';
import { Processor } from '../core';
import { SageMakerExecutionRole } from '../security';
import { integerProblem, isConcrete, rangeProblem, throwIfProblems, validationError } from '../../private/errors';
import { processorProblem } from '../../private/processor-match';
import { fingerprintOf } from '../../private/fingerprints';
import { acknowledgeWildcardResources } from '../../private/nag';
import { pathBasedName } from '../../private/names';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';
import { VariantMetrics } from './variant-metrics';

/** SageMaker's limit on production variants per endpoint config. */
const MAX_VARIANTS = 10;
/** SageMaker's endpoint-name rule (CreateEndpoint `EndpointName`). */
const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** The longest endpoint name SageMaker accepts. */
const MAX_ENDPOINT_NAME_LENGTH = 63;
/**
 * Why an endpoint that hosts inference components takes none of these features: its variants
 * name no model (each InferenceComponent names one), it serves real-time requests that name
 * the component (InvokeEndpoint's InferenceComponentName), and its instances are scaled by
 * SageMaker's managed instance scaling, not per variant.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-deploy-models.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html
 */
const INFERENCE_COMPONENT_RULE = 'an endpoint that hosts inference components serves real-time requests to models placed by InferenceComponent constructs';

/**
 * The features a serverless variant cannot use.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions
 */
const SERVERLESS_EXCLUSIONS = 'Serverless Inference does not support VPC configuration, network isolation, data capture, Model Monitor, multi-model endpoints or GPUs (SageMaker developer guide, "Serverless Inference: feature exclusions")';

/**
 * A SageMaker endpoint. Extends aws-cdk-lib's `aws_sagemaker.IEndpoint`, so it plugs into
 * API Gateway's `SagemakerIntegration` and other integrations that take one.
 */
export interface IEndpoint extends IResource, sagemaker.IEndpoint {
  // endpointName, endpointArn and grantInvoke (real-time, async and streaming invocations, nothing
  // else) come from sagemaker.IEndpoint: jsii refuses members an interface repeats.
  /** What Model Monitor needs; undefined when the endpoint has no data capture. */
  readonly dataCapture?: DataCaptureInfo;
  /** True when the endpoint serves serverless variants (Model Monitor does not support them). */
  readonly isServerless: boolean;
  /**
   * A metric of the endpoint's default variant (the first, or `AllTraffic` for imports).
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * Attributes of an existing endpoint.
 */
export interface EndpointAttributes {
  /** The endpoint name. */
  readonly endpointName: string;
  /**
   * Its data capture, for monitors.
   * @default - no data capture
   */
  readonly dataCapture?: DataCaptureInfo;
  /**
   * Whether it serves serverless variants.
   * @default false
   */
  readonly isServerless?: boolean;
  /**
   * The variant that `metric()` reports on.
   * @default 'AllTraffic'
   */
  readonly defaultVariantName?: string;
}

/**
 * Grants and metrics shared by endpoints and imported endpoints.
 */
export abstract class EndpointBase extends Resource implements IEndpoint {
  public abstract readonly endpointName: string;
  public abstract readonly endpointArn: string;
  public abstract readonly dataCapture?: DataCaptureInfo;
  public abstract readonly isServerless: boolean;
  /** The variant `metric()` reports on. */
  protected abstract readonly defaultVariantName: string;

  /**
   * The endpoint name metrics use: the fixed name when one was given (so alarms on the
   * endpoint's metrics can be its rollback alarms without a dependency cycle), else the name
   * CloudFormation generates.
   */
  public get metricsEndpointName(): string {
    return this.endpointName;
  }

  /** The `IEndpointRef` shape aws-cdk-lib integrations read. */
  public get endpointRef(): sagemakerRefs.EndpointReference {
    return { endpointArn: this.endpointArn };
  }

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync', 'sagemaker:InvokeEndpointWithResponseStream'],
      resourceArns: [this.endpointArn],
    });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return VariantMetrics.metric(this.metricsEndpointName, this.defaultVariantName, metricName, props);
  }
}


/**
 * A variant of a deployed endpoint: its metrics and its autoscaling.
 */
export class EndpointVariantHandle {
  private scalable?: Construct;

  constructor(
    private readonly endpoint: Endpoint,
    /** The variant name. */
    public readonly variantName: string,
    /** The variant definition. */
    public readonly definition: EndpointVariant,
  ) {}

  /** A metric of this variant, in the namespace SageMaker publishes it in. */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return VariantMetrics.metric(this.endpoint.metricsEndpointName, this.variantName, metricName, props);
  }

  /** Invocations (sum). */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', { statistic: 'Sum', ...props });
  }

  /** Invocations per instance (sum), the target of invocation-based scaling. */
  public metricInvocationsPerInstance(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('InvocationsPerInstance', { statistic: 'Sum', ...props });
  }

  /** Model latency in microseconds (average). */
  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'Average', ...props });
  }

  /** Overhead latency in microseconds (average). */
  public metricOverheadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('OverheadLatency', { statistic: 'Average', ...props });
  }

  /** 4xx errors (sum). */
  public metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', { statistic: 'Sum', ...props });
  }

  /** 5xx errors (sum). */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', { statistic: 'Sum', ...props });
  }

  /** CPU utilization in percent of one core, summed over cores (average). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', { statistic: 'Average', ...props });
  }

  /** Memory utilization in percent (average). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MemoryUtilization', { statistic: 'Average', ...props });
  }

  /** GPU utilization in percent of one GPU, summed over GPUs (average). */
  public metricGpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GPUUtilization', { statistic: 'Average', ...props });
  }

  /**
   * Scales the variant's instance count between `minCapacity` and `maxCapacity`, which must
   * contain the initial count. Not for burstable (ml.t*) or serverless variants.
   */
  public autoScaleInstanceCount(scalingRange: ScalingRange): ScalableInstanceCount {
    const props = this.definition.instanceProps;
    const problems: string[] = [];
    if (this.scalable) problems.push(`variant ${this.variantName} already has autoscaling; call autoScaleInstanceCount once.`);
    if (this.definition.hostsInferenceComponents) {
      problems.push(
        `variant ${this.variantName} hosts inference components: SageMaker scales its instances itself (managed instance scaling between minInstanceCount and maxInstanceCount); scale each component's copies with InferenceComponent.autoScaleCopyCount() instead.`,
      );
    } else if (!props) {
      problems.push(`variant ${this.variantName} is serverless; scale its provisioned concurrency with autoScaleProvisionedConcurrency().`);
    } else {
      if (props.instanceType.isBurstable) {
        problems.push(`variant ${this.variantName} runs on ${props.instanceType.name}: SageMaker autoscaling does not support burstable (ml.t*) instances; pick another instance type.`);
      }
      const initial = props.initialInstanceCount ?? 1;
      // Only asynchronous endpoints may scale their instances down to zero: requests queue
      // until an instance is back. https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html
      const asynchronous = this.endpoint.isAsynchronous;
      problems.push(...rangeProblems(scalingRange, initial, 'initialInstanceCount', 0));
      if (!asynchronous && isConcrete(scalingRange.minCapacity) && scalingRange.minCapacity === 0) {
        problems.push(
          `variant ${this.variantName}: minCapacity 0 needs asynchronous inference (asyncInference on the endpoint), where requests queue while no instance runs; a real-time variant needs at least 1 instance (for scale to zero in real time, host the model as an InferenceComponent).`,
        );
      }
    }
    throwIfProblems(this.endpoint, problems);
    const scalable = new ScalableInstanceCount(this.endpoint, `Scaling${this.variantName}`, {
      endpointName: this.endpoint.endpointName,
      variantName: this.variantName,
      scalingRange,
      dependency: this.endpoint.node.defaultChild as IConstruct,
      asynchronous: this.endpoint.isAsynchronous,
    });
    this.scalable = scalable;
    return scalable;
  }

  /**
   * Scales a serverless variant's provisioned concurrency between the given bounds.
   */
  public autoScaleProvisionedConcurrency(scalingRange: ScalingRange): ScalableProvisionedConcurrency {
    const props = this.definition.serverlessProps;
    const problems: string[] = [];
    if (this.scalable) problems.push(`variant ${this.variantName} already has autoscaling; call autoScale once.`);
    if (this.definition.hostsInferenceComponents) {
      problems.push(`variant ${this.variantName} hosts inference components, not serverless capacity; scale each component's copies with InferenceComponent.autoScaleCopyCount().`);
    } else if (!props) {
      problems.push(`variant ${this.variantName} runs on instances; scale it with autoScaleInstanceCount().`);
    } else if (props.provisionedConcurrency === undefined) {
      problems.push(`variant ${this.variantName} has no provisionedConcurrency to scale; set provisionedConcurrency on the serverless variant.`);
    } else {
      problems.push(...rangeProblems(scalingRange, props.provisionedConcurrency, 'provisionedConcurrency'));
      const maxProblem = isConcrete(scalingRange.maxCapacity) && isConcrete(props.maxConcurrency) && scalingRange.maxCapacity > props.maxConcurrency
        ? `maxCapacity ${scalingRange.maxCapacity} is above the variant's maxConcurrency ${props.maxConcurrency}; lower it or raise maxConcurrency.`
        : undefined;
      if (maxProblem) problems.push(maxProblem);
    }
    throwIfProblems(this.endpoint, problems);
    const scalable = new ScalableProvisionedConcurrency(this.endpoint, `Scaling${this.variantName}`, {
      endpointName: this.endpoint.endpointName,
      variantName: this.variantName,
      scalingRange,
      dependency: this.endpoint.node.defaultChild as IConstruct,
    });
    this.scalable = scalable;
    return scalable;
  }

  /** True once autoscaling was configured for this variant. */
  public get isAutoScaled(): boolean {
    return this.scalable !== undefined;
  }
}

function rangeProblems(range: ScalingRange, initial: number, initialName: string, lowestMin = 1): string[] {
  const problems: string[] = [];
  const { minCapacity, maxCapacity } = range;
  for (const [name, value, lowest] of [['minCapacity', minCapacity, lowestMin], ['maxCapacity', maxCapacity, 1]] as const) {
    const p = integerProblem(name, value) ?? rangeProblem(name, value, lowest, Number.MAX_SAFE_INTEGER);
    if (p) problems.push(p);
  }
  if (isConcrete(minCapacity) && isConcrete(maxCapacity) && minCapacity > maxCapacity) {
    problems.push(`minCapacity ${minCapacity} is greater than maxCapacity ${maxCapacity}; swap them.`);
  }
  if (isConcrete(initial) && isConcrete(minCapacity) && isConcrete(maxCapacity) && (initial < minCapacity || initial > maxCapacity)) {
    problems.push(`${initialName} ${initial} is outside the scaling range [${minCapacity}, ${maxCapacity}]; make the range contain it.`);
  }
  return problems;
}

/**
 * Properties of an {@link Endpoint}.
 */
export interface EndpointProps {
  /** The production variants (1 to 10): instance variants, or one serverless variant. */
  readonly variants: EndpointVariant[];
  /**
   * Shadow variants: receive a copy of the traffic, their responses are discarded.
   * @default - none
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests.html
   */
  readonly shadowVariants?: EndpointVariant[];
  /**
   * Capture requests and responses to S3 (what Model Monitor reads).
   * @default - no data capture
   */
  readonly dataCapture?: DataCaptureOptions;
  /**
   * Serve requests asynchronously: requests queue, results land in S3.
   * @default - real-time
   */
  readonly asyncInference?: AsyncInferenceOptions;
  /**
   * The key that encrypts the instances' storage volumes. SageMaker rejects one for instance
   * types with local NVMe storage (their volumes are encrypted by hardware) and serverless
   * variants have no volume.
   * @default - none (AWS-managed encryption)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How updates move traffic to a new configuration.
   * @default - SageMaker's default blue/green, all at once, no rollback alarms
   */
  readonly deployment?: DeploymentPolicy;
  /**
   * A fixed endpoint name (the endpoint updates in place, so a name is safe): 1-63 letters,
   * digits and hyphens.
   * @default - a stable name generated from the stack name and the construct path (at most 63
   * characters, with a hash of the path so it is unique), so that alarms on the endpoint's
   * metrics can be its rollback alarms without a dependency cycle
   */
  readonly endpointName?: string;
  /**
   * The role SageMaker assumes for an endpoint that hosts inference components (the endpoint
   * config's `ExecutionRoleArn`; the variants of such an endpoint name no model whose role it
   * could use). Only for endpoints whose variants are `EndpointVariant.forInferenceComponents`.
   * @default - for an endpoint that hosts inference components, a new SageMakerExecutionRole
   * that may write SageMaker's logs and metrics (and use `encryptionKey`); none otherwise
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-ExecutionRoleArn
   */
  readonly executionRole?: iam.IRole;
  /**
   * The private network the inference components of this endpoint run in (the endpoint
   * config's `VpcConfig`, which SageMaker uses for endpoints whose variants name no model, as the
   * SageMaker Python SDK sends it). Only for endpoints that host inference components: an
   * endpoint whose variants serve a `Model` runs in that model's VPC (`Model` `vpc`).
   * @default - no VPC
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-VpcConfig
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets, when `vpc` is set.
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The security groups (at most 5), when `vpc` is set.
   * @default - a new security group with no inbound rules and no outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Cut the inference components' containers off the network (the endpoint config's
   * `EnableNetworkIsolation`; SageMaker still loads the model artifacts). Only for endpoints that
   * host inference components; a `Model` has its own `networkIsolation`.
   * @default true, for an endpoint that hosts inference components
   */
  readonly networkIsolation?: boolean;
}

/**
 * A SageMaker endpoint: its endpoint configuration is managed for you. Any change to the models
 * or variants creates a new endpoint configuration (new logical id, generated name) and updates
 * the endpoint in place; autoscaled capacity is kept across updates.
 */
export class Endpoint extends EndpointBase {
  /** An existing endpoint by name. */
  public static fromEndpointName(scope: Construct, id: string, endpointName: string): IEndpoint {
    return Endpoint.fromEndpointAttributes(scope, id, { endpointName });
  }

  /** An existing endpoint by ARN. */
  public static fromEndpointArn(scope: Construct, id: string, endpointArn: string): IEndpoint {
    const name = Stack.of(scope).splitArn(endpointArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
    if (!name) {
      throw validationError(scope, `"${endpointArn}" is not an endpoint ARN (arn:aws:sagemaker:<region>:<account>:endpoint/<name>).`);
    }
    return Endpoint.fromEndpointAttributes(scope, id, { endpointName: name });
  }

  /** An existing endpoint by its attributes. */
  public static fromEndpointAttributes(scope: Construct, id: string, attrs: EndpointAttributes): IEndpoint {
    class Import extends EndpointBase {
      public readonly endpointName = attrs.endpointName;
      public readonly endpointArn = Stack.of(scope).formatArn({
        service: 'sagemaker',
        resource: 'endpoint',
        resourceName: attrs.endpointName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      public readonly dataCapture = attrs.dataCapture;
      public readonly isServerless = attrs.isServerless ?? false;
      protected readonly defaultVariantName = attrs.defaultVariantName ?? 'AllTraffic';
    }
    return new Import(scope, id);
  }

  public readonly endpointName: string;
  public readonly endpointArn: string;
  public readonly dataCapture?: DataCaptureInfo;
  public readonly isServerless: boolean;
  private readonly fixedName: string;
  private readonly props: EndpointProps;
  private readonly writeGrants: Array<{ bucket: s3.IBucket; prefix: string; key?: kms.IKey }> = [];
  private readonly readGrants: Array<{ bucket: s3.IBucket; prefix: string; key?: kms.IKey }> = [];
  private readonly publishTopics: sns.ITopic[] = [];
  /** The managed endpoint configuration. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  protected readonly defaultVariantName: string;
  private readonly handles: EndpointVariantHandle[] = [];
  private readonly extraRollbackAlarms: cloudwatch.IAlarm[] = [];
  private readonly hasDeploymentPolicy: boolean;
  private readonly shadowHandles: EndpointVariantHandle[] = [];
  /** True when the endpoint's variants host inference components instead of naming models. */
  public readonly hostsInferenceComponents: boolean;
  /** The endpoint config's execution role, for an endpoint that hosts inference components. */
  public readonly executionRole?: iam.IRole;
  /** True when the endpoint serves asynchronous requests (`asyncInference`). */
  public readonly isAsynchronous: boolean;
  /** Where clients put request payloads for an asynchronous endpoint (`InputLocation`). */
  public readonly asyncInput?: AsyncInputLocation;

  constructor(scope: Construct, id: string, props: EndpointProps) {
    // Without a given name the endpoint gets a generated, stable one: alarms on its metrics (for
    // example its rollback alarms) then name it without referencing the resource, so they
    // cannot form a dependency cycle endpoint -> alarm -> endpoint.
    const physicalName = props.endpointName ?? generatedEndpointName(scope, id);
    super(scope, id, { physicalName });
    assertSingleCdkLib(this);

    const variants = props.variants;
    const shadows = props.shadowVariants ?? [];
    this.validate(props);
    this.hasDeploymentPolicy = props.deployment !== undefined;
    this.fixedName = physicalName;

    const single = variants.length === 1;
    variants.forEach((v, i) => this.handles.push(new EndpointVariantHandle(this, v.givenName ?? (single ? 'AllTraffic' : `Variant${i + 1}`), v)));
    shadows.forEach((v, i) => this.shadowHandles.push(new EndpointVariantHandle(this, v.givenName ?? `Shadow${i + 1}`, v)));
    this.checkNames();
    this.defaultVariantName = this.handles[0].variantName;
    this.isServerless = variants.some((v) => v.isServerless);
    this.isAsynchronous = props.asyncInference !== undefined;
    if (props.asyncInference) {
      const input = props.asyncInference.inputBucket ?? props.asyncInference.outputBucket;
      this.asyncInput = { bucket: input, prefix: props.asyncInference.inputPrefix ?? 'async-input/' };
      this.readGrants.push({ ...this.asyncInput, key: props.asyncInference.inputEncryptionKey ?? input.encryptionKey });
    }

    const capture = props.dataCapture ? this.renderDataCapture(props.dataCapture) : undefined;
    this.dataCapture = capture?.info;
    this.hostsInferenceComponents = variants.some((v) => v.hostsInferenceComponents);
    this.executionRole = this.hostsInferenceComponents ? props.executionRole ?? this.createExecutionRole() : undefined;

    const configProps: sagemaker.CfnEndpointConfigProps = {
      // Lazy, so variants added with addVariant() are rendered too.
      productionVariants: Lazy.any({ produce: () => this.handles.map((h) => this.renderVariant(h)) }),
      shadowProductionVariants: this.shadowHandles.length ? this.shadowHandles.map((h) => this.renderVariant(h)) : undefined,
      kmsKeyId: props.encryptionKey?.keyArn,
      dataCaptureConfig: capture?.config,
      asyncInferenceConfig: props.asyncInference ? this.renderAsync(props.asyncInference) : undefined,
      executionRoleArn: this.executionRole?.roleArn,
      ...(this.hostsInferenceComponents ? this.renderComponentNetwork(props) : {}),
    };
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', configProps);
    // SageMaker checks the role when the endpoint is created: create the config after the role's policies.
    if (this.executionRole) this.endpointConfig.node.addDependency(this.executionRole);
    this.props = props;
    for (const handle of [...this.handles, ...this.shadowHandles]) this.bindVariant(handle);

    const endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.physicalName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      deploymentConfig: props.deployment ? Lazy.any({ produce: () => this.renderDeployment(props.deployment as DeploymentPolicy) }) : undefined,
      // Keep the instance counts and weights that autoscaling set when the config changes.
      retainAllVariantProperties: Lazy.any({ produce: () => (this.handles.some((h) => h.isAutoScaled) ? true : undefined) }),
    });

    this.endpointName = this.getResourceNameAttribute(endpoint.attrEndpointName);
    this.endpointArn = this.getResourceArnAttribute(endpoint.ref, {
      service: 'sagemaker',
      resource: 'endpoint',
      resourceName: this.physicalName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    Aspects.of(this).add(new EndpointConfigNamer(this, configProps));
  }

  public get metricsEndpointName(): string {
    return this.fixedName;
  }

  /**
   * The endpoint config's role for inference components: only SageMaker's own logs and metrics
   * (and the volume key, granted in bindVariant). The models an InferenceComponent places keep
   * their own execution roles for their images and artifacts. An endpoint config whose variants
   * name no model needs an `ExecutionRoleArn` (the SageMaker Python SDK sets it in that case:
   * aws/sagemaker-python-sdk, src/sagemaker/session.py, `endpoint_from_production_variants`).
   */
  /** The endpoint-level network of an endpoint that hosts inference components. */
  private renderComponentNetwork(props: EndpointProps): Pick<sagemaker.CfnEndpointConfigProps, 'vpcConfig' | 'enableNetworkIsolation'> {
    const enableNetworkIsolation = props.networkIsolation ?? true;
    if (!props.vpc) return { enableNetworkIsolation };
    const securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, description: `Inference components of endpoint ${this.node.path}`, allowAllOutbound: false }),
    ];
    if (this.executionRole instanceof SageMakerExecutionRole) this.executionRole.grantVpcAccess(props.vpc);
    return {
      enableNetworkIsolation,
      vpcConfig: {
        subnets: props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
        securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      },
    };
  }

  private createExecutionRole(): iam.IRole {
    const role = new SageMakerExecutionRole(this, 'ExecutionRole', { description: `Runs the inference components of endpoint ${this.node.path}` });
    role.grantLogging();
    role.grantMetrics();
    return role;
  }

  /**
   * Adds alarms that roll a deployment back (for alarms made from this endpoint's metrics, which
   * cannot exist before the endpoint). The endpoint's metrics name it by its physical name
   * (given or generated), not by a reference to the resource, so there is no dependency cycle.
   */
  public addRollbackAlarms(...alarms: cloudwatch.IAlarm[]): void {
    if (!this.hasDeploymentPolicy) {
      throw validationError(this, 'rollback alarms need a deployment policy; set deployment (for example DeploymentPolicy.canary(...)).');
    }
    this.extraRollbackAlarms.push(...alarms);
    for (const handle of [...this.handles, ...this.shadowHandles]) this.grantDescribeAlarms(this.roleOf(handle), alarms);
  }

  /** The production variant named `variantName` (`AllTraffic` for a single unnamed variant). */
  public variant(variantName: string): EndpointVariantHandle {
    const handle = [...this.handles, ...this.shadowHandles].find((h) => h.variantName === variantName);
    if (!handle) {
      const names = [...this.handles, ...this.shadowHandles].map((h) => h.variantName).join(', ');
      throw validationError(this, `no variant named "${variantName}"; the endpoint's variants are: ${names}.`);
    }
    return handle;
  }

  /** The production variants, in order. */
  public get variants(): EndpointVariantHandle[] {
    return [...this.handles];
  }

  /** The shadow variants, in order. */
  public get shadowVariants(): EndpointVariantHandle[] {
    return [...this.shadowHandles];
  }

  private validate(props: EndpointProps): void {
    const problems: string[] = [];
    const variants = props.variants;
    const all = [...variants, ...(props.shadowVariants ?? [])];
    if (variants.length === 0) problems.push('variants is empty; give at least one EndpointVariant.');
    if (variants.length > MAX_VARIANTS) problems.push(`variants has ${variants.length} entries, but an endpoint holds at most ${MAX_VARIANTS}.`);
    const shadows = props.shadowVariants ?? [];
    // https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-create.html: "SageMaker AI
    // supports a maximum of one shadow variant per endpoint. For an endpoint with a shadow
    // variant, there can be a maximum of one production variant."
    if (shadows.length > 1) problems.push(`shadowVariants has ${shadows.length} entries, but an endpoint takes at most one shadow variant; keep one.`);
    if (shadows.length > 0 && variants.length > 1) {
      problems.push(
        `shadowVariants is set beside ${variants.length} production variants, but an endpoint with a shadow variant takes exactly one production variant; compare models either with weighted variants (A/B) or with one production variant and its shadow.`,
      );
    }
    const serverless = all.filter((v) => v.isServerless);
    if (serverless.length > 0 && serverless.length < all.length) {
      problems.push('serverless and instance variants cannot be mixed in one endpoint; use separate endpoints.');
    }
    if (serverless.length > 0 && props.asyncInference) {
      problems.push('asyncInference is not supported with serverless variants; use instance variants for asynchronous inference.');
    }
    if (serverless.length > 0 && props.encryptionKey) {
      problems.push('encryptionKey encrypts instance storage volumes, and serverless variants have none; remove it.');
    }
    problems.push(...inferenceComponentEndpointProblems(props));
    if (serverless.length > 0 && props.dataCapture) {
      problems.push(`dataCapture is set on an endpoint with a serverless variant, but ${SERVERLESS_EXCLUSIONS}; remove dataCapture or use instance variants.`);
    }
    if (isConcrete(props.endpointName) && !ENDPOINT_NAME.test(props.endpointName)) {
      problems.push(`endpointName is "${props.endpointName}", but must be 1-${MAX_ENDPOINT_NAME_LENGTH} letters, digits and hyphens, starting and ending with a letter or digit; rename it.`);
    }
    const weights = variants.map((v) => v.instanceProps?.initialVariantWeight ?? 1);
    if (weights.some((w) => isConcrete(w) && w < 0)) {
      problems.push(`variant weights (${weights.join(', ')}) must not be negative.`);
    } else if (weights.length > 0 && weights.every((w) => isConcrete(w) && w <= 0)) {
      problems.push(`all variant weights are 0 (${weights.join(', ')}), so no variant would get traffic; give at least one a positive weight.`);
    }
    for (const v of all) {
      problems.push(...variantProblems(v, props.encryptionKey !== undefined));
    }
    if (props.dataCapture) {
      const p = rangeProblem('dataCapture.samplingPercentage', props.dataCapture.samplingPercentage, 0, 100);
      if (p) problems.push(p);
    }
    if (props.deployment) problems.push(...deploymentProblems(props.deployment, variants));
    throwIfProblems(this, problems);
    if (props.deployment && props.deployment.type !== DeploymentType.ALL_AT_ONCE) {
      const inf1 = variants.find((v) => v.instanceProps?.instanceType.family === 'inf1');
      if (inf1) {
        Annotations.of(this).addWarningV2(
          'sagemaker-cdk:guardrailsInf1',
          'Deployment guardrails do not support Inf1 instances: SageMaker falls back to blue/green all at once with no baking period.',
        );
      }
    }
  }

  private checkNames(): void {
    const names = [...this.handles, ...this.shadowHandles].map((h) => h.variantName);
    const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
    const problems: string[] = [];
    if (duplicates.length) problems.push(`variant names must be unique, but ${[...new Set(duplicates)].join(', ')} repeat; give each variant its own variantName.`);
    for (const name of names) {
      if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(name)) {
        problems.push(`variant name "${name}" must be 1-63 letters, digits and hyphens, starting with a letter or digit.`);
      }
    }
    throwIfProblems(this, problems);
  }

  private renderVariant(handle: EndpointVariantHandle): sagemaker.CfnEndpointConfig.ProductionVariantProperty {
    const instance = handle.definition.instanceProps;
    const serverless = handle.definition.serverlessProps;
    const components = handle.definition.inferenceComponentProps;
    if (components) {
      const initial = components.initialInstanceCount ?? 1;
      return {
        variantName: handle.variantName,
        instanceType: components.instanceType.name,
        initialInstanceCount: initial,
        volumeSizeInGb: components.volumeSize?.toGibibytes(),
        // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantManagedInstanceScaling.html
        managedInstanceScaling: {
          status: 'ENABLED',
          minInstanceCount: components.minInstanceCount ?? 1,
          maxInstanceCount: components.maxInstanceCount ?? initial,
        },
        routingConfig: components.routingStrategy ? { routingStrategy: components.routingStrategy } : undefined,
      };
    }
    return {
      variantName: handle.variantName,
      modelName: handle.definition.model?.modelName,
      instanceType: instance?.instanceType.name,
      initialInstanceCount: instance ? instance.initialInstanceCount ?? 1 : undefined,
      initialVariantWeight: instance ? instance.initialVariantWeight ?? 1 : 1,
      volumeSizeInGb: instance?.volumeSize?.toGibibytes(),
      modelDataDownloadTimeoutInSeconds: instance?.modelDataDownloadTimeout?.toSeconds(),
      containerStartupHealthCheckTimeoutInSeconds: instance?.containerStartupHealthCheckTimeout?.toSeconds(),
      serverlessConfig: serverless
        ? {
            memorySizeInMb: serverless.memorySize.toMebibytes(),
            maxConcurrency: serverless.maxConcurrency,
            provisionedConcurrency: serverless.provisionedConcurrency,
          }
        : undefined,
    };
  }

  private renderDataCapture(options: DataCaptureOptions): { config: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty; info: DataCaptureInfo } {
    const prefix = options.prefix ?? 'data-capture/';
    const key = options.encryptionKey ?? options.destination.encryptionKey;
    const captureInput = options.captureInput ?? true;
    const captureOutput = options.captureOutput ?? true;
    if (!captureInput && !captureOutput) {
      throw validationError(this, 'dataCapture captures neither input nor output; enable captureInput, captureOutput or both, or remove dataCapture.');
    }
    const samplingPercentage = options.samplingPercentage ?? 100;
    this.grantModelsWrite(options.destination, prefix, key);
    const s3Uri = `s3://${options.destination.bucketName}/${prefix}`;
    return {
      info: { bucket: options.destination, prefix, s3Uri, samplingPercentage, encryptionKey: key, captureInput, captureOutput },
      config: {
        enableCapture: true,
        initialSamplingPercentage: samplingPercentage,
        destinationS3Uri: s3Uri,
        kmsKeyId: key?.keyArn,
        captureOptions: [...(captureInput ? [{ captureMode: 'Input' }] : []), ...(captureOutput ? [{ captureMode: 'Output' }] : [])],
        captureContentTypeHeader: {
          csvContentTypes: options.csvContentTypes ?? ['text/csv'],
          jsonContentTypes: options.jsonContentTypes ?? ['application/json'],
        },
      },
    };
  }

  private renderAsync(options: AsyncInferenceOptions): sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty {
    const outputPrefix = options.outputPrefix ?? 'async-output/';
    const failurePrefix = options.failurePrefix ?? 'async-failures/';
    const key = options.encryptionKey ?? options.outputBucket.encryptionKey;
    this.grantModelsWrite(options.outputBucket, outputPrefix, key);
    this.grantModelsWrite(options.outputBucket, failurePrefix, key);
    for (const topic of [options.successTopic, options.errorTopic]) {
      if (topic) this.publishTopics.push(topic);
    }
    return {
      outputConfig: {
        s3OutputPath: `s3://${options.outputBucket.bucketName}/${outputPrefix}`,
        s3FailurePath: `s3://${options.outputBucket.bucketName}/${failurePrefix}`,
        kmsKeyId: key?.keyArn,
        notificationConfig:
          options.successTopic || options.errorTopic
            ? { successTopic: options.successTopic?.topicArn, errorTopic: options.errorTopic?.topicArn }
            : undefined,
      },
      clientConfig:
        options.maxConcurrentInvocationsPerInstance !== undefined
          ? { maxConcurrentInvocationsPerInstance: options.maxConcurrentInvocationsPerInstance }
          : undefined,
    };
  }

  /** SageMaker writes capture and async results with the models' execution roles. */
  private grantModelsWrite(bucket: s3.IBucket, prefix: string, key?: kms.IKey): void {
    this.writeGrants.push({ bucket, prefix, key });
  }

  /**
   * Gives a variant's model role what the endpoint needs from it (volume key, capture and async
   * output writes, notification topics) and orders the config after the model.
   */
  private bindVariant(handle: EndpointVariantHandle): void {
    const model = handle.definition.model;
    // CreateEndpointConfig does not need the models' roles, but the endpoint does: models are
    // created after their role policies, and the config after the models.
    if (model instanceof Model) this.endpointConfig.node.addDependency(model);
    const role = this.roleOf(handle);
    if (!role) return;
    const volumeKey = this.props.encryptionKey;
    if (volumeKey) {
      volumeKey.grant(role, 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt');
      // SageMaker creates grants on the volume key for the instances it launches: only grants
      // for AWS resources.
      iam.Grant.addToPrincipal({
        grantee: role,
        actions: ['kms:CreateGrant'],
        resourceArns: [volumeKey.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      });
    }
    for (const { bucket, prefix, key } of this.writeGrants) {
      iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resourceArns: [bucket.arnForObjects(`${prefix}*`)] });
      acknowledgeWildcardResources(
        role,
        [bucket.arnForObjects(`${prefix}*`)],
        "Objects under the endpoint's data-capture (or async output) prefix only: SageMaker names the files it writes at run time (<endpoint>/<variant>/<yyyy>/<mm>/<dd>/<hh>/<uuid>.jsonl, or one per async request).",
      );
      key?.grant(role, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
    }
    // Asynchronous requests: SageMaker reads each payload from its InputLocation with the
    // model's execution role (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html).
    for (const { bucket, prefix, key } of this.readGrants) {
      iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(`${prefix}*`)] });
      acknowledgeWildcardResources(
        role,
        [bucket.arnForObjects(`${prefix}*`)],
        "Objects under the asynchronous endpoint's input prefix only: clients upload one payload per request, named at run time.",
      );
      key?.grant(role, 'kms:Decrypt');
    }
    for (const topic of this.publishTopics) topic.grantPublish(role);
    this.grantDescribeAlarms(role, [...(this.props.deployment?.options.rollbackAlarms ?? []), ...this.extraRollbackAlarms]);
  }

  /** The role SageMaker uses for a variant: its model's, or the endpoint config's for inference components. */
  private roleOf(handle: EndpointVariantHandle): iam.IRole | undefined {
    return handle.definition.model ? handle.definition.model.role : this.executionRole;
  }

  /**
   * SageMaker reads the rollback alarms during a deployment with the models' execution roles
   * ("Auto-Rollback Configuration and Monitoring": the role needs `cloudwatch:DescribeAlarms` on
   * the alarms). The alarms name the endpoint by its physical name, so this adds no cycle.
   */
  private grantDescribeAlarms(role: iam.IRole | undefined, alarms: cloudwatch.IAlarm[]): void {
    if (!role || alarms.length === 0) return;
    iam.Grant.addToPrincipal({ grantee: role, actions: ['cloudwatch:DescribeAlarms'], resourceArns: alarms.map((a) => a.alarmArn) });
  }

  /**
   * Adds a production variant (for example a challenger model for an A/B test). The same rules
   * apply as to the variants given at construction.
   */
  public addVariant(variant: EndpointVariant): EndpointVariantHandle {
    const all = [...this.handles.map((h) => h.definition), ...this.shadowHandles.map((h) => h.definition), variant];
    const problems = variantProblems(variant, this.props.encryptionKey !== undefined);
    if (this.handles.length + 1 > MAX_VARIANTS) problems.push(`the endpoint already has ${this.handles.length} variants; an endpoint holds at most ${MAX_VARIANTS}.`);
    if (all.some((v) => v.isServerless) && !all.every((v) => v.isServerless)) {
      problems.push('serverless and instance variants cannot be mixed in one endpoint; use separate endpoints.');
    }
    if (variant.hostsInferenceComponents !== this.hostsInferenceComponents) {
      problems.push(
        this.hostsInferenceComponents
          ? `the endpoint hosts inference components, so every variant must be EndpointVariant.forInferenceComponents (${INFERENCE_COMPONENT_RULE}); add a model with new InferenceComponent(...) or use a separate endpoint.`
          : 'a variant for inference components cannot join an endpoint whose variants serve models (its endpoint config needs an execution role and variants without models); create a separate Endpoint with EndpointVariant.forInferenceComponents variants.',
      );
    }
    if (this.props.deployment?.type === DeploymentType.ROLLING) {
      problems.push('a rolling deployment is not supported for endpoints with several variants; use a blue/green policy (allAtOnce, canary or linear).');
    }
    if (this.props.deployment) problems.push(...trafficStepProblems(this.props.deployment, [variant]));
    throwIfProblems(this, problems);
    const handle = new EndpointVariantHandle(this, variant.givenName ?? `Variant${this.handles.length + 1}`, variant);
    this.handles.push(handle);
    try {
      this.checkNames();
    } catch (error) {
      this.handles.pop();
      throw error;
    }
    this.bindVariant(handle);
    return handle;
  }

  private renderDeployment(policy: DeploymentPolicy): sagemaker.CfnEndpoint.DeploymentConfigProperty {
    const alarms = [...(policy.options.rollbackAlarms ?? []), ...this.extraRollbackAlarms];
    const autoRollbackConfiguration = alarms.length ? { alarms: alarms.map((a) => ({ alarmName: a.alarmName })) } : undefined;
    const maximumExecutionTimeoutInSeconds = policy.options.maximumExecutionTimeout?.toSeconds();
    if (policy.type === DeploymentType.ROLLING) {
      return {
        autoRollbackConfiguration,
        rollingUpdatePolicy: {
          maximumBatchSize: { type: 'CAPACITY_PERCENT', value: policy.percent as number },
          waitIntervalInSeconds: (policy.wait as Duration).toSeconds(),
          maximumExecutionTimeoutInSeconds,
        },
      };
    }
    const wait = policy.wait?.toSeconds();
    return {
      autoRollbackConfiguration,
      blueGreenUpdatePolicy: {
        terminationWaitInSeconds: policy.options.bakeTime?.toSeconds(),
        maximumExecutionTimeoutInSeconds,
        trafficRoutingConfiguration: {
          type: policy.type,
          waitIntervalInSeconds: wait,
          canarySize: policy.type === DeploymentType.CANARY ? { type: 'CAPACITY_PERCENT', value: policy.percent as number } : undefined,
          linearStepSize: policy.type === DeploymentType.LINEAR ? { type: 'CAPACITY_PERCENT', value: policy.percent as number } : undefined,
        },
      },
    };
  }
}

/**
 * A stable endpoint name from the stack name and the construct path: at most 63 letters, digits
 * and single hyphens, ending in 8 hex characters of a hash of the full path, so two endpoints
 * whose shortened paths look alike still get different names.
 */
function generatedEndpointName(scope: Construct, id: string): string {
  const stack = Stack.of(scope);
  const fullPath = `${stack.stackName}/${[...scope.node.scopes.map((s) => s.node.id), id].join('/')}`;
  const hash = createHash('sha256').update(fullPath).digest('hex').slice(0, 8);
  const base = pathBasedName(scope, id, MAX_ENDPOINT_NAME_LENGTH - hash.length - 1);
  return base ? `${base}-${hash}` : `endpoint-${hash}`;
}

/** Problems of a GPU image on a CPU instance or a CPU image on a GPU instance. */
function processorProblems(variant: EndpointVariant): string[] {
  const model = variant.model;
  const name = variant.givenName ?? 'variant';
  if (!(model instanceof Model)) return [];
  const problems: string[] = [];
  const instanceType = variant.instanceProps?.instanceType;
  model.containers.forEach((container, i) => {
    // A container serving a registered model package version has no image known at synth (the
    // version names it), so there is nothing to check.
    if (!container.image) return;
    const processor = container.image.processor;
    const what = `${name}: container ${i + 1} of model ${model.node.path}`;
    if (variant.isServerless) {
      if (processor === Processor.GPU) {
        problems.push(`${what} uses a GPU image, but ${SERVERLESS_EXCLUSIONS}; use the CPU image or an instance variant on a GPU instance.`);
      }
      return;
    }
    const problem = instanceType ? processorProblem(container.image, instanceType) : undefined;
    if (problem) problems.push(`${what}: ${problem}`);
  });
  return problems;
}

/** Problems of a serverless variant whose model uses a feature serverless inference excludes. */
function serverlessModelProblems(variant: EndpointVariant): string[] {
  const model = variant.model;
  if (!variant.isServerless || !(model instanceof Model)) return [];
  const name = variant.givenName ?? 'variant';
  const problems: string[] = [];
  const fixes: Array<[boolean, string, string]> = [
    [model.inVpc, 'runs in a VPC (vpc is set)', 'give the serverless variant a model without vpc'],
    [model.networkIsolation, 'runs with network isolation (networkIsolation defaults to true)', 'give the serverless variant a model with networkIsolation: false'],
    [model.isMultiModel, 'is a multi-model container (multiModel: true)', 'give the serverless variant a single-model model'],
  ];
  for (const [applies, what, fix] of fixes) {
    if (applies) problems.push(`${name}: serverless variant's model ${model.node.path} ${what}, but ${SERVERLESS_EXCLUSIONS}; ${fix}, or use an instance variant.`);
  }
  return problems;
}

function variantProblems(variant: EndpointVariant, withKey: boolean): string[] {
  const problems: string[] = [...serverlessModelProblems(variant), ...processorProblems(variant)];
  const name = variant.givenName ?? 'variant';
  const instance = variant.instanceProps;
  const serverless = variant.serverlessProps;
  if (instance) {
    const count = instance.initialInstanceCount;
    const countProblem = integerProblem(`${name}: initialInstanceCount`, count) ?? rangeProblem(`${name}: initialInstanceCount`, count, 1, 1000);
    if (countProblem) problems.push(countProblem);
    if (withKey && instance.instanceType.hasLocalNvmeStorage) {
      problems.push(
        `${name}: ${instance.instanceType.name} has local NVMe instance storage, which SageMaker encrypts in hardware and for which it rejects a KMS key; remove encryptionKey or pick an instance type without instance storage (for example ml.c5 or ml.p3).`,
      );
    }
    const volume = instance.volumeSize && !Token.isUnresolved(instance.volumeSize) ? instance.volumeSize.toGibibytes() : undefined;
    const volumeProblem = rangeProblem(`${name}: volumeSize (GiB)`, volume, 1, 512);
    if (volumeProblem) problems.push(volumeProblem);
    for (const [what, timeout] of [
      ['modelDataDownloadTimeout', instance.modelDataDownloadTimeout],
      ['containerStartupHealthCheckTimeout', instance.containerStartupHealthCheckTimeout],
    ] as const) {
      const p = rangeProblem(`${name}: ${what} (seconds)`, timeout?.toSeconds(), 60, 3600);
      if (p) problems.push(p);
    }
  }
  const components = variant.inferenceComponentProps;
  if (components) problems.push(...inferenceComponentVariantProblems(name, components, withKey));
  if (serverless) {
    // MemorySizeInMB: 1024 to 6144 in 1 GB steps.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantServerlessConfig.html
    if (serverless.memorySize.isUnresolved()) {
      // A token passes, but only in MiB: CDK cannot convert a token from another unit at synth.
      try {
        serverless.memorySize.toMebibytes();
      } catch {
        problems.push(`${name}: serverless memorySize comes from a token in a unit other than MiB, which cannot be converted at synth; give it as Size.mebibytes(token).`);
      }
    } else {
      const memory = serverless.memorySize.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      if (memory < 1024 || memory > 6144 || memory % 1024 !== 0) {
        problems.push(`${name}: serverless memorySize is ${memory} MB, but must be 1024, 2048, 3072, 4096, 5120 or 6144 MB; pick one of those (Size.gibibytes(1) to Size.gibibytes(6)).`);
      }
    }
    const concurrency = integerProblem(`${name}: maxConcurrency`, serverless.maxConcurrency) ?? rangeProblem(`${name}: maxConcurrency`, serverless.maxConcurrency, 1, 200);
    if (concurrency) problems.push(concurrency);
    const provisioned = serverless.provisionedConcurrency;
    const provisionedProblem = integerProblem(`${name}: provisionedConcurrency`, provisioned) ?? rangeProblem(`${name}: provisionedConcurrency`, provisioned, 1, 200);
    if (provisionedProblem) problems.push(provisionedProblem);
    if (isConcrete(provisioned) && isConcrete(serverless.maxConcurrency) && provisioned > serverless.maxConcurrency) {
      problems.push(`${name}: provisionedConcurrency ${provisioned} is above maxConcurrency ${serverless.maxConcurrency}; lower it or raise maxConcurrency.`);
    }
  }
  return problems;
}

/**
 * Problems of a variant for inference components: the instance counts of managed instance
 * scaling (MinInstanceCount >= 0, MaxInstanceCount >= 1; the initial count lies between them and
 * is at least 1), the volume size, and a volume key on an instance type with local storage.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantManagedInstanceScaling.html
 */
function inferenceComponentVariantProblems(name: string, props: InferenceComponentVariantProps, withKey: boolean): string[] {
  const problems: string[] = [];
  const initial = props.initialInstanceCount ?? 1;
  const min = props.minInstanceCount ?? 1;
  const max = props.maxInstanceCount ?? initial;
  const counts: Array<[string, number, number]> = [
    ['initialInstanceCount', initial, 1],
    ['minInstanceCount', min, 0],
    ['maxInstanceCount', max, 1],
  ];
  for (const [what, value, lowest] of counts) {
    const p = integerProblem(`${name}: ${what}`, value) ?? rangeProblem(`${name}: ${what}`, value, lowest, 1000);
    if (p) problems.push(p);
  }
  if (isConcrete(min) && isConcrete(initial) && isConcrete(max) && (min > initial || initial > max)) {
    problems.push(
      `${name}: managed instance scaling needs minInstanceCount <= initialInstanceCount <= maxInstanceCount, but they are ${min}, ${initial} and ${max}; ` +
        'adjust them (to scale to zero, set minInstanceCount: 0 and keep initialInstanceCount at least 1).',
    );
  }
  if (withKey && props.instanceType.hasLocalNvmeStorage) {
    problems.push(
      `${name}: ${props.instanceType.name} has local NVMe instance storage, which SageMaker encrypts in hardware and for which it rejects a KMS key; remove encryptionKey or pick an instance type without instance storage (for example ml.c5 or ml.p3).`,
    );
  }
  const volume = props.volumeSize && !Token.isUnresolved(props.volumeSize) ? props.volumeSize.toGibibytes() : undefined;
  const volumeProblem = rangeProblem(`${name}: volumeSize (GiB)`, volume, 1, 512);
  if (volumeProblem) problems.push(volumeProblem);
  return problems;
}

/**
 * Features an endpoint that hosts inference components cannot combine with: model variants,
 * shadow variants, asynchronous inference and data capture. Also rejects `executionRole` on an
 * endpoint whose variants name models (their models carry the role).
 */
function inferenceComponentEndpointProblems(props: EndpointProps): string[] {
  const variants = props.variants;
  const shadows = props.shadowVariants ?? [];
  const hosting = variants.some((v) => v.hostsInferenceComponents);
  const problems: string[] = [];
  if (shadows.some((v) => v.hostsInferenceComponents)) {
    problems.push('shadowVariants holds a variant for inference components, but a shadow variant must serve a model; use EndpointVariant.instance for the shadow.');
  }
  if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
    problems.push('vpcSubnets and securityGroups need vpc; pass the VPC (for example network.vpc) too.');
  }
  if (props.securityGroups && props.securityGroups.length > 5) {
    problems.push(`securityGroups has ${props.securityGroups.length} security groups, but a SageMaker VpcConfig takes at most 5; merge their rules into fewer groups.`);
  }
  if (!hosting) {
    if (props.executionRole) {
      problems.push('executionRole is set, but it is only used by endpoints that host inference components (their variants name no model); remove it: each Model carries its own role.');
    }
    if (props.vpc || props.networkIsolation !== undefined) {
      problems.push(
        `${props.vpc ? 'vpc' : 'networkIsolation'} is set on an endpoint whose variants serve models, but only endpoints that host inference components take a network of their own; set vpc and networkIsolation on each Model instead.`,
      );
    }
    return problems;
  }
  if (!variants.every((v) => v.hostsInferenceComponents)) {
    problems.push(`variants mixes EndpointVariant.forInferenceComponents with variants that serve a model, but ${INFERENCE_COMPONENT_RULE}; place every model with an InferenceComponent, or use separate endpoints.`);
  }
  const excluded: Array<[boolean, string, string]> = [
    [shadows.length > 0, 'shadowVariants is set', 'remove shadowVariants (compare models with two inference components instead)'],
    [props.asyncInference !== undefined, 'asyncInference is set', 'remove asyncInference, or serve asynchronous requests from a separate endpoint with instance variants'],
    [props.dataCapture !== undefined, 'dataCapture is set', 'remove dataCapture, or capture from a separate endpoint with instance variants'],
  ];
  for (const [applies, what, fix] of excluded) {
    if (applies) problems.push(`${what} on an endpoint that hosts inference components, but ${INFERENCE_COMPONENT_RULE}; ${fix}.`);
  }
  return problems;
}

function deploymentProblems(policy: DeploymentPolicy, variants: EndpointVariant[]): string[] {
  const problems: string[] = [];
  if (policy.percent !== undefined) {
    const p = rangeProblem(`deployment ${policy.type.toLowerCase()} size (percent)`, policy.percent, 1, 99);
    if (p) problems.push(p);
  }
  if (policy.type === DeploymentType.ROLLING) {
    if (variants.some((v) => v.isServerless)) {
      problems.push('a rolling deployment is not supported for serverless endpoints; use DeploymentPolicy.allAtOnce/canary/linear.');
    }
    if (variants.length > 1) {
      problems.push('a rolling deployment is not supported for endpoints with several variants; use a blue/green policy (allAtOnce, canary or linear).');
    }
  }
  // WaitIntervalInSeconds 0-3600 (TrafficRoutingConfig and RollingUpdatePolicy).
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html
  const wait = policy.wait?.toSeconds();
  const waitProblem = rangeProblem('deployment wait (seconds)', wait, 0, 3600, 'SageMaker waits at most an hour between steps; shorten the wait or baking period');
  if (waitProblem) problems.push(waitProblem);
  // Blue/green: TerminationWaitInSeconds 0-3600; blue/green and rolling: MaximumExecutionTimeoutInSeconds
  // 600-28800 (the SageMaker API model's BlueGreenUpdatePolicy and RollingUpdatePolicy shapes).
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BlueGreenUpdatePolicy.html
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html
  const rolling = policy.type === DeploymentType.ROLLING;
  const bake = policy.options.bakeTime;
  if (!rolling && bake && !bake.isUnresolved()) {
    const p = rangeProblem('deployment bakeTime (seconds)', bake.toSeconds({ integral: false }), 0, 3600, 'SageMaker keeps the old fleet at most an hour after the shift; shorten bakeTime');
    if (p) problems.push(p);
  }
  const timeout = policy.options.maximumExecutionTimeout;
  if (timeout && !timeout.isUnresolved()) {
    const max = 28800;
    const p = rangeProblem(
      `deployment maximumExecutionTimeout (seconds) of a ${rolling ? 'rolling' : 'blue/green'} deployment`,
      timeout.toSeconds({ integral: false }),
      600,
      max,
      `set it between Duration.minutes(10) and Duration.hours(${max / 3600})`,
    );
    if (p) problems.push(p);
  }
  problems.push(...trafficStepProblems(policy, variants));
  return problems;
}

/**
 * SageMaker's sizing rules for blue/green traffic shifting: the canary must be at most 50 % of
 * the variant's instance count, and a linear step 10-50 %. A percentage becomes a whole number of
 * instances (at least one), so a single-instance variant can take neither.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html
 */
function trafficStepProblems(policy: DeploymentPolicy, variants: EndpointVariant[]): string[] {
  if (policy.type !== DeploymentType.CANARY && policy.type !== DeploymentType.LINEAR) return [];
  const percent = policy.percent;
  if (!isConcrete(percent)) return [];
  const canary = policy.type === DeploymentType.CANARY;
  const step = canary ? `canary size ${percent}%` : `linear step size ${percent}%`;
  const rule = canary
    ? 'SageMaker requires the canary to be at most 50% of the variant\'s instance count (and at least one instance)'
    : 'SageMaker requires each linear step to be 10-50% of the variant\'s instance count (and at least one instance)';
  const problems: string[] = [];
  if (!canary && percent < 10) {
    problems.push(`deployment ${step} is below 10%; ${rule}. Raise stepPercent to 10-50.`);
  }
  for (const variant of variants) {
    const count = variant.instanceProps ? variant.instanceProps.initialInstanceCount ?? 1 : undefined;
    if (!isConcrete(count)) continue;
    const instances = Math.max(1, Math.ceil((count * percent) / 100));
    if (instances * 2 > count) {
      const name = variant.givenName ?? 'variant';
      problems.push(
        `deployment ${step} of ${name} with ${count} instance${count === 1 ? '' : 's'} shifts ${instances} instance${instances === 1 ? '' : 's'} (${Math.round((instances / count) * 100)}% of the fleet), but ${rule}; ` +
          (count < 2 ? 'use DeploymentPolicy.allAtOnce() for a single instance, or run at least 2 instances.' : `lower the percentage to at most ${Math.floor((Math.floor(count / 2) / count) * 100)}% or add instances.`),
      );
    }
  }
  return problems;
}

/**
 * Names the endpoint config's logical id after a hash of everything it renders, including its
 * models' containers: a change to a model or a variant then creates a new endpoint config
 * resource, which CloudFormation names itself, and the endpoint switches to it in place.
 */
class EndpointConfigNamer implements IAspect {
  constructor(private readonly endpoint: Endpoint, private readonly configProps: sagemaker.CfnEndpointConfigProps) {}

  public visit(node: IConstruct): void {
    if (node !== this.endpoint) return;
    const stack = Stack.of(this.endpoint);
    const models = [...this.endpoint.variants, ...this.endpoint.shadowVariants].map((v) => {
      const model = v.definition.model;
      return model ? fingerprintOf(model) ?? model.modelName : 'inference-components';
    });
    const rendered = JSON.stringify(stack.resolve({ config: this.configProps, models }));
    const hash = createHash('sha256').update(rendered).digest('hex').slice(0, 8).toUpperCase();
    const base = stack.getLogicalId(this.endpoint.endpointConfig).replace(/[0-9A-F]{8}$/, '');
    this.endpoint.endpointConfig.overrideLogicalId(`${base}${hash}`);
  }
}
