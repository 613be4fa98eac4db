import { createHash } from 'crypto';
import {
  ArnFormat,
  Duration,
  IResource,
  Resource,
  Size,
  SizeRoundingBehavior,
  Stack,
  Token,
  aws_cloudwatch as cloudwatch,
  aws_sagemaker as sagemaker,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Endpoint } from './endpoint';
import { EndpointVariant } from './endpoint-variant';
import { IModel, Model } from './model';
import { CopyCountScalingRange, ScalableCopyCount } from './scalable-copy-count';
import { integerProblem, isConcrete, isConcreteText, rangeProblem, throwIfProblems, validationError } from '../../private/errors';
import { pathBasedName } from '../../private/names';
import { processorProblem } from '../../private/processor-match';
import { assertResourceTypeAvailable } from '../../private/region-support';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';

/** Invocation metrics of inference components (dimension InferenceComponentName). */
const INVOCATION_NAMESPACE = 'AWS/SageMaker';
/**
 * Utilization metrics of inference components.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 */
const UTILIZATION_NAMESPACE = '/aws/sagemaker/InferenceComponents';
const UTILIZATION_METRICS = ['CPUUtilizationNormalized', 'MemoryUtilizationNormalized', 'GPUUtilizationNormalized', 'GPUMemoryUtilizationNormalized'];
/**
 * The inference component name rule (CreateInferenceComponent `InferenceComponentName`).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentSummary.html
 */
const NAME_PATTERN = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const MAX_NAME_LENGTH = 63;
/**
 * The smallest memory the schema accepts (MinMemoryRequiredInMb and MaxMemoryRequiredInMb: minimum 128).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-inferencecomponent-inferencecomponentcomputeresourcerequirements.html
 */
const MIN_MEMORY_MB = 128;

/**
 * A SageMaker inference component: one model placed on an endpoint with its own compute.
 */
export interface IInferenceComponent extends IResource {
  /** The inference component name. @attribute */
  readonly inferenceComponentName: string;
  /** The inference component ARN. @attribute */
  readonly inferenceComponentArn: string;
  /** A metric of the component, in the namespace SageMaker publishes it in. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * The compute one copy of an inference component reserves on an instance.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-inferencecomponent-inferencecomponentcomputeresourcerequirements.html
 */
export interface ComputeResourceRequirements {
  /** The memory a copy needs at least (at least 128 MiB, whole MiB). */
  readonly minMemory: Size;
  /**
   * The most memory a copy may use (at least `minMemory`).
   * @default - no maximum
   */
  readonly maxMemory?: Size;
  /**
   * CPU cores a copy reserves (fractions allowed, e.g. 0.5).
   * @default - none reserved
   */
  readonly cpuCores?: number;
  /**
   * Accelerator devices (GPUs or AWS Inferentia chips) a copy reserves (a whole number, at least 1).
   * @default - none
   */
  readonly acceleratorDevices?: number;
}

/**
 * Properties of an {@link InferenceComponent}.
 */
export interface InferenceComponentProps {
  /** The endpoint to place the model on; its variant must be `EndpointVariant.forInferenceComponents`. */
  readonly endpoint: Endpoint;
  /**
   * The variant that hosts the component.
   * @default - the endpoint's first variant
   */
  readonly variantName?: string;
  /** The model to serve. */
  readonly model: IModel;
  /** What each copy reserves on an instance; it must fit on one instance of the variant. */
  readonly computeResources: ComputeResourceRequirements;
  /**
   * Copies of the model to start with (0 is allowed when the component scales out from zero).
   * @default 1
   */
  readonly copyCount?: number;
  /**
   * A fixed name: 1-63 letters, digits and hyphens. Requests name it
   * (InvokeEndpoint `InferenceComponentName`).
   * @default - a stable name from the stack name and the construct path, with a hash of the path
   */
  readonly inferenceComponentName?: string;
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
 * Metrics shared by inference components and imported ones.
 */
export abstract class InferenceComponentBase extends Resource implements IInferenceComponent {
  public abstract readonly inferenceComponentName: string;
  public abstract readonly inferenceComponentArn: string;

  /**
   * A metric of the component: utilization metrics (`CPUUtilizationNormalized`,
   * `MemoryUtilizationNormalized`, `GPUUtilizationNormalized`, `GPUMemoryUtilizationNormalized`)
   * under `/aws/sagemaker/InferenceComponents`, the others (invocations, latency, errors) under
   * `AWS/SageMaker`, both with the `InferenceComponentName` dimension.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: UTILIZATION_METRICS.includes(metricName) ? UTILIZATION_NAMESPACE : INVOCATION_NAMESPACE,
      metricName,
      dimensionsMap: { InferenceComponentName: this.inferenceComponentName },
      ...props,
    });
  }

  /** Invocations (sum). */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', { statistic: 'Sum', ...props });
  }

  /** Model latency in microseconds (average). */
  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'Average', ...props });
  }

  /** 4xx errors (sum). */
  public metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', { statistic: 'Sum', ...props });
  }

  /** 5xx errors (sum). */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', { statistic: 'Sum', ...props });
  }

  /** Requests that failed because the component had no copy (or the endpoint no instance) to serve them (sum). */
  public metricNoCapacityInvocationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NoCapacityInvocationFailures', { statistic: 'Sum', ...props });
  }

  /** CPU utilization of the component's copies, normalized to 0-100 % (average). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilizationNormalized', { statistic: 'Average', ...props });
  }

  /** Memory utilization of the component's copies, normalized to 0-100 % (average). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MemoryUtilizationNormalized', { statistic: 'Average', ...props });
  }
}

/**
 * A model placed on an endpoint that hosts inference components
 * (`AWS::SageMaker::InferenceComponent`), with the CPU cores, memory and accelerators each copy
 * reserves and a copy count that can scale, down to zero.
 *
 * The component is created after the endpoint is in service (it depends on the endpoint). Every
 * copy must fit on one instance of the variant: a requirement larger than the instance type's
 * vCPUs, memory or accelerators is a synth error.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-deploy-models.html
 */
export class InferenceComponent extends InferenceComponentBase {
  /** An existing inference component by name. */
  public static fromInferenceComponentName(scope: Construct, id: string, inferenceComponentName: string): IInferenceComponent {
    class Import extends InferenceComponentBase {
      public readonly inferenceComponentName = inferenceComponentName;
      public readonly inferenceComponentArn = Stack.of(scope).formatArn({
        service: 'sagemaker',
        resource: 'inference-component',
        resourceName: inferenceComponentName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    }
    return new Import(scope, id);
  }

  public readonly inferenceComponentName: string;
  public readonly inferenceComponentArn: string;
  /** The endpoint that hosts the component. */
  public readonly endpoint: Endpoint;
  /** The variant that hosts the component. */
  public readonly variantName: string;
  private readonly resource: sagemaker.CfnInferenceComponent;
  private scalable?: ScalableCopyCount;
  private readonly copyCount: number;

  constructor(scope: Construct, id: string, props: InferenceComponentProps) {
    const physicalName = props.inferenceComponentName ?? generatedName(scope, id);
    super(scope, id, { physicalName });
    assertSingleCdkLib(this);
    this.endpoint = props.endpoint;
    const variant = this.findVariant(props);
    this.variantName = props.variantName ?? props.endpoint.variants[0].variantName;
    this.copyCount = props.copyCount ?? 1;
    throwIfProblems(this, componentProblems(props, variant, this.copyCount));

    const compute = props.computeResources;
    assertResourceTypeAvailable(
      this,
      'AWS::SageMaker::InferenceComponent',
      'An inference component',
      'Serve the model from an endpoint variant of its own instead (EndpointVariant with a Model), or deploy to a region that offers the type.',
    );
    this.resource = new sagemaker.CfnInferenceComponent(this, 'Resource', {
      inferenceComponentName: this.physicalName,
      endpointName: props.endpoint.endpointName,
      variantName: this.variantName,
      specification: {
        modelName: props.model.modelName,
        computeResourceRequirements: {
          minMemoryRequiredInMb: compute.minMemory.toMebibytes(),
          maxMemoryRequiredInMb: compute.maxMemory?.toMebibytes(),
          numberOfCpuCoresRequired: compute.cpuCores,
          numberOfAcceleratorDevicesRequired: compute.acceleratorDevices,
        },
        startupParameters:
          props.modelDataDownloadTimeout || props.containerStartupHealthCheckTimeout
            ? {
                modelDataDownloadTimeoutInSeconds: props.modelDataDownloadTimeout?.toSeconds(),
                containerStartupHealthCheckTimeoutInSeconds: props.containerStartupHealthCheckTimeout?.toSeconds(),
              }
            : undefined,
      },
      runtimeConfig: { copyCount: this.copyCount },
    });
    // A component can only be created on an endpoint that is InService: CloudFormation finishes
    // AWS::SageMaker::Endpoint when the endpoint is in service.
    this.resource.node.addDependency(props.endpoint);
    // The model is created after its role's policies; the component after the model.
    if (props.model instanceof Model) this.resource.node.addDependency(props.model);

    this.inferenceComponentName = this.getResourceNameAttribute(this.physicalName);
    this.inferenceComponentArn = this.getResourceArnAttribute(this.resource.attrInferenceComponentArn, {
      service: 'sagemaker',
      resource: 'inference-component',
      resourceName: this.physicalName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Scales the copy count between `minCopies` and `maxCopies`, which must contain the initial
   * `copyCount`. Add a policy to the result (`scaleOnInvocationsPerCopy(...)`), and with
   * `minCopies: 0` also `scaleOutFromZero()`.
   */
  public autoScaleCopyCount(scalingRange: CopyCountScalingRange): ScalableCopyCount {
    const problems: string[] = [];
    if (this.scalable) problems.push('autoScaleCopyCount() was already called for this component; call it once.');
    const { minCopies, maxCopies } = scalingRange;
    const minProblem = integerProblem('minCopies', minCopies) ?? rangeProblem('minCopies', minCopies, 0, Number.MAX_SAFE_INTEGER);
    if (minProblem) problems.push(minProblem);
    const maxProblem = integerProblem('maxCopies', maxCopies) ?? rangeProblem('maxCopies', maxCopies, 1, Number.MAX_SAFE_INTEGER);
    if (maxProblem) problems.push(maxProblem);
    if (isConcrete(minCopies) && isConcrete(maxCopies) && minCopies > maxCopies) {
      problems.push(`minCopies ${minCopies} is above maxCopies ${maxCopies}; swap or adjust them.`);
    }
    const copies = this.copyCount;
    if (isConcrete(copies) && isConcrete(minCopies) && isConcrete(maxCopies) && (copies < minCopies || copies > maxCopies)) {
      problems.push(`copyCount ${copies} lies outside the scaling range ${minCopies}-${maxCopies}; widen the range or change copyCount.`);
    }
    throwIfProblems(this, problems);
    this.scalable = new ScalableCopyCount(this, 'CopyCountScaling', {
      inferenceComponentName: this.inferenceComponentName,
      scalingRange,
      dependency: this.resource,
    });
    return this.scalable;
  }

  private findVariant(props: InferenceComponentProps): EndpointVariant | undefined {
    const endpoint = props.endpoint;
    if (!endpoint.hostsInferenceComponents) {
      throw validationError(
        this,
        `endpoint ${endpoint.node.path} serves models on its variants and hosts no inference components; give it EndpointVariant.forInferenceComponents({ instanceType, ... }) variants.`,
      );
    }
    if (props.variantName === undefined) return endpoint.variants[0].definition;
    const handle = endpoint.variants.find((h) => h.variantName === props.variantName);
    if (!handle) {
      const names = endpoint.variants.map((h) => h.variantName).join(', ');
      throw validationError(this, `variantName is "${props.variantName}", but endpoint ${endpoint.node.path} has no such variant (its variants: ${names}); name one of them.`);
    }
    return handle.definition;
  }
}

/** A stable component name: path-based, at most 63 characters, ending in a hash of the full path. */
function generatedName(scope: Construct, id: string): string {
  const stack = Stack.of(scope);
  const fullPath = `${stack.stackName}/${[...scope.node.scopes.map((s) => s.node.id), id].join('/')}`;
  const hash = createHash('sha256').update(fullPath).digest('hex').slice(0, 8);
  const base = pathBasedName(scope, id, MAX_NAME_LENGTH - hash.length - 1);
  return base ? `${base}-${hash}` : `component-${hash}`;
}

/** Memory in whole MiB, or undefined for a token or a fraction (reported separately). */
function mebibytes(size: Size | undefined): number | undefined {
  if (!size || size.isUnresolved()) return undefined;
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}

/** Every rule CreateInferenceComponent applies to what the user set, and the fit on one instance. */
function componentProblems(props: InferenceComponentProps, variant: EndpointVariant | undefined, copyCount: number): string[] {
  const problems: string[] = [];
  const compute = props.computeResources;
  const instanceType = variant?.instanceType;
  const instance = instanceType ? `one ${instanceType.name} instance` : 'one instance';

  const name = props.inferenceComponentName;
  if (isConcreteText(name) && (name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name))) {
    problems.push(`inferenceComponentName "${name}" must be 1-${MAX_NAME_LENGTH} letters, digits and hyphens, starting and ending with a letter or digit; rename it.`);
  }

  // CopyCount: an integer, minimum 0.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentRuntimeConfig.html
  const copyProblem = integerProblem('copyCount', copyCount) ?? rangeProblem('copyCount', copyCount, 0, Number.MAX_SAFE_INTEGER, 'give 0 or more copies');
  if (copyProblem) problems.push(copyProblem);

  const minMemory = mebibytes(compute.minMemory);
  const maxMemory = mebibytes(compute.maxMemory);
  for (const [what, value] of [['computeResources.minMemory', minMemory], ['computeResources.maxMemory', maxMemory]] as const) {
    if (value === undefined) continue;
    if (!Number.isInteger(value)) {
      problems.push(`${what} is ${value} MiB, but SageMaker takes whole MiB; give Size.mebibytes(<whole number>).`);
    } else if (value < MIN_MEMORY_MB) {
      problems.push(`${what} is ${value} MiB, but must be at least ${MIN_MEMORY_MB} MiB; raise it.`);
    }
  }
  if (minMemory !== undefined && maxMemory !== undefined && maxMemory < minMemory) {
    problems.push(`computeResources.maxMemory (${maxMemory} MiB) is below minMemory (${minMemory} MiB); raise maxMemory or lower minMemory.`);
  }
  const instanceMemory = mebibytes(instanceType?.memorySize);
  if (minMemory !== undefined && instanceMemory !== undefined && minMemory > instanceMemory) {
    problems.push(
      `computeResources.minMemory is ${minMemory} MiB, but ${instance} has ${instanceMemory} MiB, so no copy can be placed; lower minMemory or pick a larger instance type.`,
    );
  }

  // The fit checks compare one copy with the whole instance: SageMaker also keeps some of the
  // instance for its own agents, so a copy that passes may still not be placed, but one that
  // fails can never be. NumberOfCpuCoresRequired: minimum 0 (CloudFormation schema).
  const cores = compute.cpuCores;
  if (isConcrete(cores)) {
    if (cores < 0 || Number.isNaN(cores)) {
      problems.push(`computeResources.cpuCores is ${cores}, but must not be negative; give 0 or more cores.`);
    } else if (instanceType?.vcpuCount !== undefined && cores > instanceType.vcpuCount) {
      problems.push(
        `computeResources.cpuCores is ${cores}, but ${instance} has ${instanceType.vcpuCount} vCPUs, so no copy can be placed; lower cpuCores or pick a larger instance type.`,
      );
    }
  }

  // NumberOfAcceleratorDevicesRequired: minimum 1 when set (CloudFormation schema); GPUs or Inferentia chips.
  const accelerators = compute.acceleratorDevices;
  if (isConcrete(accelerators)) {
    const p = integerProblem('computeResources.acceleratorDevices', accelerators) ?? rangeProblem('computeResources.acceleratorDevices', accelerators, 1, Number.MAX_SAFE_INTEGER, 'leave it unset for a model without accelerators');
    if (p) {
      problems.push(p);
    } else if (instanceType?.family && instanceType.isKnownFamily && accelerators > instanceType.acceleratorCount) {
      problems.push(
        instanceType.acceleratorCount === 0
          ? `computeResources.acceleratorDevices is ${accelerators}, but ${instanceType.name} has no GPUs or Inferentia chips; remove acceleratorDevices or host the endpoint on an accelerated instance type (ml.g5, ml.p3, ml.inf2, ...).`
          : `computeResources.acceleratorDevices is ${accelerators}, but ${instance} has ${instanceType.acceleratorCount}, so no copy can be placed; lower acceleratorDevices or pick an instance type with more accelerators.`,
      );
    }
  }

  for (const [what, timeout] of [
    ['modelDataDownloadTimeout', props.modelDataDownloadTimeout],
    ['containerStartupHealthCheckTimeout', props.containerStartupHealthCheckTimeout],
  ] as const) {
    const seconds = timeout && !Token.isUnresolved(timeout.toSeconds()) ? timeout.toSeconds() : undefined;
    const p = rangeProblem(`${what} (seconds)`, seconds, 60, 3600);
    if (p) problems.push(p);
  }

  // A GPU image on a CPU instance fails to start; a CPU image on a GPU instance wastes the GPUs.
  const model = props.model;
  if (model instanceof Model && instanceType) {
    model.containers.forEach((container, i) => {
      const problem = container.image ? processorProblem(container.image, instanceType) : undefined;
      if (problem) problems.push(`container ${i + 1} of model ${model.node.path}: ${problem}`);
    });
  }
  return problems;
}
