import { CfnOutput, Duration, Stack, StackProps, Size } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage, InstanceType } from '../constructs/core';
import { Endpoint, EndpointVariant, InferenceComponent, Model } from '../constructs/hosting';
import { ApprovedVersionParameter, IModelPackageGroup, ModelPackageResolver } from '../constructs/registry';
import { isResourceTypeAvailable } from '../private/region-support';
import { MlPlatformStack } from './platform-stack';

/** Properties of the {@link HostingModesStack}. */
export interface HostingModesStackProps extends StackProps {
  /** The platform (network, key, buckets); CPU profile. */
  readonly platform: MlPlatformStack;
  /** The model registry whose approved versions the endpoints serve. */
  readonly registry: IModelPackageGroup;
}

/**
 * The other ways to host the loan-default model, each once, with what it costs when idle:
 *
 * - an **asynchronous endpoint** for large batch-like requests (payloads up to 1 GB in S3, up to an
 *   hour each), which scales to zero instances when its queue is empty and back out when a
 *   request waits;
 * - an **A/B endpoint**: the champion version (`ModelVersionArn`) and a challenger version
 *   (`ChallengerVersionArn`, for example the tuned model once it is registered and approved) on two
 *   weighted variants, 90 % / 10 %, compared with the per-variant metrics;
 * - an **inference-component endpoint** that scales to zero: both versions as components on one
 *   ml.c5.xlarge pool (one core and 1 GiB each), zero instances and zero copies when idle, a copy
 *   (and an instance) started by the first request that finds none.
 *
 * Both parameters take a version ARN of the registry or stay empty for the newest Approved version;
 * the stack's resolver checks at deploy time that a given version is Approved. All models run in
 * the platform's private network with its key.
 */
export class HostingModesStack extends Stack {
  /** The asynchronous endpoint. */
  public readonly asyncEndpoint: Endpoint;
  /** The A/B endpoint (variants `Champion` and `Challenger`). */
  public readonly abEndpoint: Endpoint;
  /** The endpoint whose inference components scale to zero (none where CloudFormation has no inference components). */
  public readonly componentEndpoint?: Endpoint;
  /** The inference components: champion, challenger (none where CloudFormation has no inference components). */
  public readonly components: InferenceComponent[];

  constructor(scope: Construct, id: string, props: HostingModesStackProps) {
    super(scope, id, { description: 'Loan-default model: asynchronous, A/B and scale-to-zero inference-component endpoints', ...props });
    const { network, key, artifactsBucket } = props.platform;
    new ModelPackageResolver(this, 'ModelPackageResolver', {
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      securityGroups: [network.handlersSecurityGroup],
      encryptionKey: key,
    });
    // The registered versions name the XGBoost image and artifacts under the training jobs' models/
    // prefix: the model roles may pull that image and read (and decrypt) those artifacts.
    const versionOptions = { artifactsBucket, artifactsPrefix: 'models/', image: ContainerImage.xgboost('1.7-1') };
    const champion = new ApprovedVersionParameter(this, 'ModelVersionArn', props.registry, {
      ...versionOptions,
      description: 'The champion version (a version ARN of the loan-default registry); empty = the newest Approved version',
    });
    const challenger = new ApprovedVersionParameter(this, 'ChallengerVersionArn', props.registry, {
      ...versionOptions,
      description: 'The challenger version compared with the champion (for example the tuned model); empty = the newest Approved version',
    });
    const modelOf = (modelId: string, version: ApprovedVersionParameter) =>
      new Model(this, modelId, {
        containers: [{ modelPackage: version.version }],
        vpc: network.vpc,
        vpcSubnets: network.subnets,
        securityGroups: [network.endpointsSecurityGroup],
      });
    const championModel = modelOf('ChampionModel', champion);
    const challengerModel = modelOf('ChallengerModel', challenger);

    // Asynchronous: requests are uploaded under async-input/, results land under async/output/.
    // https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html
    this.asyncEndpoint = new Endpoint(this, 'AsyncEndpoint', {
      endpointName: 'loan-default-cpu-async',
      variants: [EndpointVariant.instance({ model: championModel, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 1 })],
      asyncInference: {
        outputBucket: artifactsBucket,
        inputPrefix: 'async/input/',
        outputPrefix: 'async/output/',
        failurePrefix: 'async/failures/',
        maxConcurrentInvocationsPerInstance: 4,
        encryptionKey: key,
      },
      encryptionKey: key,
    });
    const asyncScaling = this.asyncEndpoint.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    asyncScaling.scaleOnBacklog({ targetBacklogPerInstance: 5 });
    asyncScaling.scaleOutFromZero();

    // A/B: 90 % of requests to the champion, 10 % to the challenger; compare the variants'
    // Invocations, ModelLatency and error metrics (EndpointVariantHandle.metric*).
    this.abEndpoint = new Endpoint(this, 'AbEndpoint', {
      endpointName: 'loan-default-cpu-ab',
      variants: [
        EndpointVariant.instance({ model: championModel, variantName: 'Champion', instanceType: InstanceType.ML_C5_LARGE, initialInstanceCount: 1, initialVariantWeight: 9 }),
        EndpointVariant.instance({ model: challengerModel, variantName: 'Challenger', instanceType: InstanceType.ML_C5_LARGE, initialInstanceCount: 1, initialVariantWeight: 1 }),
      ],
      encryptionKey: key,
    });

    // CloudFormation offers no AWS::SageMaker::InferenceComponent in the China regions (the
    // regions' resource provider schemas, see lib/private/region-support.ts): there the stack
    // has the asynchronous and A/B endpoints only.
    if (isResourceTypeAvailable(this, 'AWS::SageMaker::InferenceComponent')) {
      // Inference components that scale to zero: the instance pool may shrink to none.
      // https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
      this.componentEndpoint = new Endpoint(this, 'ComponentEndpoint', {
        endpointName: 'loan-default-cpu-components',
        variants: [EndpointVariant.forInferenceComponents({ instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 1, minInstanceCount: 0, maxInstanceCount: 2 })],
        encryptionKey: key,
        // Components run in the endpoint's network (its config's VpcConfig), not their models'.
        vpc: network.vpc,
        vpcSubnets: network.subnets,
        securityGroups: [network.endpointsSecurityGroup],
      });
    }
    const componentEndpoint = this.componentEndpoint;
    this.components = !componentEndpoint
      ? []
      : [
        ['Champion', championModel],
        ['Challenger', challengerModel],
      ].map(([name, model]) => {
        const component = new InferenceComponent(this, `${name as string}Component`, {
          endpoint: componentEndpoint,
          model: model as Model,
          computeResources: { cpuCores: 1, minMemory: Size.gibibytes(1) },
          copyCount: 1,
        });
        const copies = component.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 });
        copies.scaleOnInvocationsPerCopy({ targetInvocationsPerCopy: 100, scaleInCooldown: Duration.minutes(15) });
        copies.scaleOutFromZero();
        return component;
      });

    new CfnOutput(this, 'AsyncEndpointName', { value: this.asyncEndpoint.endpointName, description: 'Upload a payload under async/input/ of the artifacts bucket, then invoke-endpoint-async with its InputLocation' });
    new CfnOutput(this, 'AbEndpointName', { value: this.abEndpoint.endpointName });
    if (componentEndpoint) {
      new CfnOutput(this, 'ComponentEndpointName', { value: componentEndpoint.endpointName });
    }
    this.components.forEach((c, i) => new CfnOutput(this, `${i === 0 ? 'Champion' : 'Challenger'}ComponentName`, { value: c.inferenceComponentName }));
  }
}
