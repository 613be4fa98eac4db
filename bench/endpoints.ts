/**
 * The marginal synthesis cost of one autoscaled real-time endpoint (model, endpoint config,
 * endpoint, scalable target, target-tracking policy on invocations per instance), written four
 * ways: raw aws-cdk-lib L1 resources laid out as this library lays them out (the floor), the
 * `@aws-cdk/aws-sagemaker-alpha` module, this library, and the floor with aws-cdk-lib's IAM and
 * scaling L2s in place of their L1s (the floor of any library built on those L2s).
 *
 * Cost per endpoint = (time for HIGH endpoints - time for LOW endpoints) / (HIGH - LOW): the
 * fixed cost of an app (loading, the bucket, the stack) cancels out. The writers and both sizes
 * run in interleaved rounds, each after a full garbage collection; each writer's figure is taken
 * from the least CPU time over the rounds, and ratios also round by round (see pairedRatio), so a
 * busy moment of a shared machine neither lands on one variant nor moves the result. Each
 * writer's measured pair follows an unmeasured synth of the same writer, so aws-cdk-lib's
 * validator never rebuilds its engine for another writer's resource types inside a measured run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as alpha from '@aws-cdk/aws-sagemaker-alpha';
import { App, Aws, Duration, Stack, aws_applicationautoscaling as appscaling, aws_iam as iam, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { IDependable } from 'constructs';
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

/** `arn:<partition>:<service>:<region>:<account>:<resource>` in `stack`. */
function arnIn(stack: Stack, service: string, resource: string, account = stack.account): string {
  return `arn:${Aws.PARTITION}:${service}:${stack.region}:${account}:${resource}`;
}

/** The confused-deputy conditions of this library's execution roles' trust policy. */
function sageMakerTrustConditions(stack: Stack): Record<string, Record<string, unknown>> {
  return { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': arnIn(stack, 'sagemaker', '*') } };
}

/** The statements of the logs and the metrics policies that a stack's execution roles share. */
function sharedStatements(stack: Stack): Array<Record<string, unknown>> {
  return [
    { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: arnIn(stack, 'logs', 'log-group:/aws/sagemaker/*') },
    { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } } },
  ];
}

/** The statements of model `i`'s own policy: pull its image, read its artifact, decrypt it. */
function modelStatements(stack: Stack, bucket: SecureBucket, key: string): Array<Record<string, unknown>> {
  return [
    { Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: arnIn(stack, 'ecr', 'repository/sagemaker-xgboost', '683313688378') },
    { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket.bucketArn}/${key}` },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: bucket.encryptionKey?.keyArn },
  ];
}

/** Application Auto Scaling's service-linked role for SageMaker. */
function scalingRoleArn(stack: Stack): string {
  return `arn:${Aws.PARTITION}:iam::${stack.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`;
}

/** The model, endpoint config and endpoint of endpoint `i` as L1s; returns the endpoint. */
function sageMakerL1s(stack: Stack, bucket: SecureBucket, i: number, key: string, roleArn: string, rolePolicy: IDependable): sagemaker.CfnEndpoint {
  const model = new sagemaker.CfnModel(stack, `Model${i}`, {
    executionRoleArn: roleArn,
    enableNetworkIsolation: true,
    primaryContainer: { image: IMAGE, mode: 'SingleModel', modelDataUrl: `s3://${bucket.bucketName}/${key}` },
  });
  model.node.addDependency(rolePolicy);
  const config = new sagemaker.CfnEndpointConfig(stack, `Config${i}`, {
    productionVariants: [{ variantName: 'AllTraffic', modelName: model.attrModelName, instanceType: 'ml.c5.xlarge', initialInstanceCount: 1, initialVariantWeight: 1 }],
  });
  return new sagemaker.CfnEndpoint(stack, `Endpoint${i}`, { endpointConfigName: config.attrEndpointConfigName, retainAllVariantProperties: true });
}

/**
 * Raw L1 resources: the floor. They write the same resources as this library's defaults: per
 * stack, the logs and the metrics policies every execution role shares; per endpoint, an
 * execution role and a customer-managed policy with the same statements per model, network
 * isolation, a scalable target and a target-tracking policy. So the difference is what the
 * constructs cost, not what they add.
 */
const L1: EndpointWriter = {
  name: 'raw L1 (floor)',
  write(stack, bucket, count) {
    const shared = sharedStatements(stack).map((statement, n) => new iam.CfnManagedPolicy(stack, `Shared${n}`, { policyDocument: { Version: '2012-10-17', Statement: [statement] } }));
    for (let i = 0; i < count; i++) {
      const key = `models/m${i}/model.tar.gz`;
      const role = new iam.CfnRole(stack, `Model${i}Role`, {
        description: `Execution role of model ${i}`,
        assumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' }, Condition: sageMakerTrustConditions(stack) }],
        },
        managedPolicyArns: shared.map((policy) => policy.ref),
      });
      const policy = new iam.CfnManagedPolicy(stack, `Model${i}Policy`, {
        roles: [role.ref],
        policyDocument: { Version: '2012-10-17', Statement: modelStatements(stack, bucket, key) },
      });
      const endpoint = sageMakerL1s(stack, bucket, i, key, role.attrArn, policy);
      const target = new appscaling.CfnScalableTarget(stack, `Target${i}`, {
        serviceNamespace: 'sagemaker',
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        resourceId: `endpoint/${endpoint.attrEndpointName}/variant/AllTraffic`,
        roleArn: scalingRoleArn(stack),
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

/**
 * The floor of any library built on aws-cdk-lib's L2s: the same resources as {@link L1}, with
 * the roles and policies as `iam.Role` / `iam.ManagedPolicy` and the scaling as
 * `appscaling.ScalableTarget` / `scaleToTrackMetric`; only the SageMaker resources stay L1s.
 */
const L2_IAM_AND_SCALING: EndpointWriter = {
  name: "aws-cdk-lib's IAM and scaling L2s, SageMaker L1s",
  write(stack, bucket, count) {
    const shared = sharedStatements(stack).map((statement, n) => new iam.ManagedPolicy(stack, `Shared${n}`, { statements: [iam.PolicyStatement.fromJson(statement)] }));
    const scalingRole = iam.Role.fromRoleArn(stack, 'ScalingRole', scalingRoleArn(stack));
    for (let i = 0; i < count; i++) {
      const key = `models/m${i}/model.tar.gz`;
      const role = new iam.Role(stack, `Model${i}Role`, {
        description: `Execution role of model ${i}`,
        assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions(sageMakerTrustConditions(stack)),
        managedPolicies: shared,
      });
      const policy = new iam.ManagedPolicy(stack, `Model${i}Policy`, { roles: [role], statements: modelStatements(stack, bucket, key).map((statement) => iam.PolicyStatement.fromJson(statement)) });
      const endpoint = sageMakerL1s(stack, bucket, i, key, role.roleArn, policy);
      const target = new appscaling.ScalableTarget(stack, `Target${i}`, {
        serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        resourceId: `endpoint/${endpoint.attrEndpointName}/variant/AllTraffic`,
        role: scalingRole,
        minCapacity: SCALING.minCapacity,
        maxCapacity: SCALING.maxCapacity,
      });
      target.scaleToTrackMetric(`Invocations${i}`, {
        targetValue: TARGET,
        predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
        scaleInCooldown: Duration.seconds(300),
        scaleOutCooldown: Duration.seconds(300),
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

/** The writers: the floor, the alpha module, ours, and the floor of a library on aws-cdk-lib's L2s. */
export const ENDPOINT_WRITERS: EndpointWriter[] = [L1, ALPHA, OURS, L2_IAM_AND_SCALING];

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
  /** From the least CPU time at each size over all rounds. */
  readonly msPerEndpoint: number;
  /** Each round's own marginal cost (its high run minus its low run), in round order. */
  readonly msPerEndpointByRound: number[];
  readonly resourcesPerEndpoint: number;
}

/** Median, least and greatest of one writer's cost over another's, round by round. */
export interface PairedRatio {
  readonly median: number;
  readonly least: number;
  readonly greatest: number;
}

/**
 * The ratio `cost` / `base` of each round, both measured within seconds of each other, so a
 * slow change of a shared machine's speed (minutes) cancels out; least-time figures instead take
 * each writer's quietest moment, which need not be the same moment (their ratio moved between
 * 0.92 and 1.09 from one bench run to the next while the paired median stayed at 0.96-0.98).
 */
export function pairedRatio(cost: MarginalCost, base: MarginalCost): PairedRatio {
  const ratios = cost.msPerEndpointByRound.map((ms, round) => ms / base.msPerEndpointByRound[round]);
  return { median: median(ratios), least: Math.min(...ratios), greatest: Math.max(...ratios) };
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
    msPerEndpointByRound: highs[index].map((ms, round) => (ms - lows[index][round]) / (high - low)),
    resourcesPerEndpoint: (resourceCount(writer, high) - resourceCount(writer, low)) / (high - low),
  }));
}
