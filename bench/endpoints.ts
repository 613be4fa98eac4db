/**
 * The marginal synthesis cost of one autoscaled real-time endpoint (model, endpoint config,
 * endpoint, scalable target, target-tracking policy on invocations per instance), written three
 * ways: raw aws-cdk-lib L1 resources with a role and managed policy per model (the floor), the
 * `@aws-cdk/aws-sagemaker-alpha` module, and this library.
 *
 * Cost per endpoint = (time for HIGH endpoints - time for LOW endpoints) / (HIGH - LOW): the
 * fixed cost of an app (loading, the bucket, the stack) cancels out. The three builders and both
 * sizes run in interleaved rounds, each after a full garbage collection, and each figure is the
 * least CPU time over the rounds (see measureMarginalCosts), so a busy moment of a shared machine
 * neither lands on one variant nor moves the result. Each writer's measured pair follows an
 * unmeasured synth of the same writer, so aws-cdk-lib's validator never rebuilds its engine for
 * another writer's resource types inside a measured run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as alpha from '@aws-cdk/aws-sagemaker-alpha';
import { App, Aws, Stack, aws_applicationautoscaling as appscaling, aws_iam as iam, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, ModelData } from '../lib/constructs/core';
import { Endpoint, EndpointVariant, Model } from '../lib/constructs/hosting';
import { SecureBucket } from '../lib/constructs/security';
import { collectGarbage } from './gc';

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
const SCALING = { minCapacity: 1, maxCapacity: 4 };
const TARGET = 70;

/** One way of writing N autoscaled endpoints into a stack. */
export interface EndpointWriter {
  /** Printed name. */
  readonly name: string;
  /** Adds `count` endpoints to `stack`, reading their models from `bucket`. */
  write(stack: Stack, bucket: SecureBucket, count: number): void;
}

/**
 * Raw L1 resources: the floor. They write the same seven resources per endpoint as this
 * library's defaults (an execution role and a customer-managed policy with the same statements
 * per model, network isolation, a scalable target and a target-tracking policy), so the
 * difference is what the constructs cost, not what they add.
 */
const L1: EndpointWriter = {
  name: 'raw L1 (floor)',
  write(stack, bucket, count) {
    const arn = (service: string, resource: string, account = stack.account) => `arn:${Aws.PARTITION}:${service}:${stack.region}:${account}:${resource}`;
    for (let i = 0; i < count; i++) {
      const key = `models/m${i}/model.tar.gz`;
      const role = new iam.CfnRole(stack, `Model${i}Role`, {
        description: `Execution role of model ${i}`,
        assumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': arn('sagemaker', '*') } },
          }],
        },
      });
      const policy = new iam.CfnManagedPolicy(stack, `Model${i}Policy`, {
        roles: [role.ref],
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [arn('logs', 'log-group:/aws/sagemaker/*'), arn('logs', 'log-group:/aws/sagemaker/*:log-stream:*')] },
            { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } } },
            { Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: arn('ecr', 'repository/sagemaker-xgboost', '683313688378') },
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            { Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket.bucketArn}/${key}` },
            { Effect: 'Allow', Action: 'kms:Decrypt', Resource: bucket.encryptionKey?.keyArn },
          ],
        },
      });
      const model = new sagemaker.CfnModel(stack, `Model${i}`, {
        executionRoleArn: role.attrArn,
        enableNetworkIsolation: true,
        primaryContainer: { image: IMAGE, mode: 'SingleModel', modelDataUrl: `s3://${bucket.bucketName}/${key}` },
      });
      model.node.addDependency(policy);
      const config = new sagemaker.CfnEndpointConfig(stack, `Config${i}`, {
        productionVariants: [{ variantName: 'AllTraffic', modelName: model.attrModelName, instanceType: 'ml.c5.xlarge', initialInstanceCount: 1, initialVariantWeight: 1 }],
      });
      const endpoint = new sagemaker.CfnEndpoint(stack, `Endpoint${i}`, { endpointConfigName: config.attrEndpointConfigName, retainAllVariantProperties: true });
      const target = new appscaling.CfnScalableTarget(stack, `Target${i}`, {
        serviceNamespace: 'sagemaker',
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        resourceId: `endpoint/${endpoint.attrEndpointName}/variant/AllTraffic`,
        roleArn: `arn:${Aws.PARTITION}:iam::${stack.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
        minCapacity: SCALING.minCapacity,
        maxCapacity: SCALING.maxCapacity,
      });
      new appscaling.CfnScalingPolicy(stack, `Policy${i}`, {
        policyName: `Invocations${i}`,
        policyType: 'TargetTrackingScaling',
        scalingTargetId: target.ref,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: TARGET,
          scaleInCooldown: 300,
          scaleOutCooldown: 300,
          predefinedMetricSpecification: { predefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        },
      });
    }
  },
};

/** The aws-sagemaker-alpha module's L2 constructs. */
const ALPHA: EndpointWriter = {
  name: '@aws-cdk/aws-sagemaker-alpha',
  write(stack, bucket, count) {
    const image = alpha.ContainerImage.fromDlc('sagemaker-xgboost', '1.7-1', '683313688378');
    for (let i = 0; i < count; i++) {
      const model = new alpha.Model(stack, `Model${i}`, {
        containers: [{ image, modelData: alpha.ModelData.fromBucket(bucket, `models/m${i}/model.tar.gz`) }],
        networkIsolation: true,
      });
      const config = new alpha.EndpointConfig(stack, `Config${i}`, {
        instanceProductionVariants: [{ variantName: 'AllTraffic', model, instanceType: alpha.InstanceType.C5_XLARGE }],
      });
      const endpoint = new alpha.Endpoint(stack, `Endpoint${i}`, { endpointConfig: config });
      endpoint.findInstanceProductionVariant('AllTraffic').autoScaleInstanceCount(SCALING).scaleOnInvocations('Invocations', { maxRequestsPerSecond: TARGET / 60 });
    }
  },
};

/** This library's constructs, with their defaults (a least-privilege role per model). */
const OURS: EndpointWriter = {
  name: 'sagemaker-cdk-constructs',
  write(stack, bucket, count) {
    const image = ContainerImage.xgboost('1.7-1');
    for (let i = 0; i < count; i++) {
      const model = new Model(stack, `Model${i}`, { containers: [{ image, modelData: ModelData.fromBucket(bucket, `models/m${i}/model.tar.gz`) }] });
      const endpoint = new Endpoint(stack, `Endpoint${i}`, { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
      endpoint.variant('AllTraffic').autoScaleInstanceCount(SCALING).scaleOnInvocations({ targetInvocationsPerInstance: TARGET });
    }
  },
};

/** The three writers, the floor first. */
export const ENDPOINT_WRITERS: EndpointWriter[] = [L1, ALPHA, OURS];

/**
 * Builds one app with `count` endpoints written by `writer` and synthesizes it; returns the CPU
 * milliseconds the process spent (user + system), which, unlike wall time, does not count the
 * time other processes of a busy machine held the CPU.
 */
export function timeEndpoints(writer: EndpointWriter, count: number): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-'));
  // Garbage of earlier runs is collected now, not during this one.
  collectGarbage();
  const start = process.cpuUsage();
  const app = new App({ outdir });
  const stack = new Stack(app, 'Endpoints', { env: ENV });
  writer.write(stack, new SecureBucket(stack, 'Models'), count);
  app.synth();
  const used = process.cpuUsage(start);
  fs.rmSync(outdir, { recursive: true, force: true });
  return (used.user + used.system) / 1000;
}

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Result of {@link measureMarginalCosts}: milliseconds per endpoint and resources per endpoint, by writer. */
export interface MarginalCost {
  readonly writer: string;
  readonly msPerEndpoint: number;
  readonly resourcesPerEndpoint: number;
}

/** Counts the resources one app of `count` endpoints by `writer` holds. */
function resourceCount(writer: EndpointWriter, count: number): number {
  const app = new App();
  const stack = new Stack(app, 'Endpoints', { env: ENV });
  writer.write(stack, new SecureBucket(stack, 'Models'), count);
  return Object.keys(app.synth().getStackByName('Endpoints').template.Resources).length;
}

/**
 * Interleaved rounds: every round times every writer at `low` and at `high` endpoints, in a
 * rotating order, right after an unmeasured synth of the same writer, each after a full garbage
 * collection. Returns each writer's marginal cost from
 * the least CPU time at each size: other processes of a shared machine can only add to a run's
 * CPU time (cache and frequency), never take from it, so the least is the steadiest estimate
 * (medians moved ours / alpha between 1.15 and 1.68 from one bench run to the next).
 */
export function measureMarginalCosts(rounds: number, low: number, high: number): MarginalCost[] {
  const lows = ENDPOINT_WRITERS.map(() => [] as number[]);
  const highs = ENDPOINT_WRITERS.map(() => [] as number[]);
  // One unmeasured pass warms the JIT for every writer.
  for (const writer of ENDPOINT_WRITERS) timeEndpoints(writer, low);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < ENDPOINT_WRITERS.length; k++) {
      const index = (k + round) % ENDPOINT_WRITERS.length;
      // aws-cdk-lib's validator keeps one engine per process and builds a new one (about 0.2 s
      // here) when a synth meets resource types the engine was not built for: the alpha module's
      // inline policies after the others' managed policies, and back. An unmeasured synth of the
      // same writer first, so no measured run pays for the previous writer's resource types.
      timeEndpoints(ENDPOINT_WRITERS[index], 1);
      lows[index].push(timeEndpoints(ENDPOINT_WRITERS[index], low));
      highs[index].push(timeEndpoints(ENDPOINT_WRITERS[index], high));
    }
  }
  return ENDPOINT_WRITERS.map((writer, index) => ({
    writer: writer.name,
    msPerEndpoint: (Math.min(...highs[index]) - Math.min(...lows[index])) / (high - low),
    resourcesPerEndpoint: (resourceCount(writer, high) - resourceCount(writer, low)) / (high - low),
  }));
}
