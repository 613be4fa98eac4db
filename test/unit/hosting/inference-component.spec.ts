import { CfnParameter, Duration, Size, Stack, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType, ModelData, Processor } from '../../../lib/constructs/core';
import {
  ComputeResourceRequirements,
  DeploymentPolicy,
  Endpoint,
  EndpointProps,
  EndpointVariant,
  InferenceComponent,
  InferenceComponentProps,
  InferenceComponentVariantProps,
  Model,
  RoutingStrategy,
} from '../../../lib/constructs/hosting';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { MlNetwork } from '../../../lib/constructs/security';
import { hostingFixture } from './fixtures';

/** A general-purpose instance type for inference components: 4 vCPUs, 16 GiB. */
const M6I_XLARGE = InstanceType.of('ml.m6i.xlarge');

/** An endpoint for inference components on ml.m6i.xlarge that can scale to zero instances. */
function componentEndpoint(stack: Stack, variant: Partial<InferenceComponentVariantProps> = {}, props: Partial<EndpointProps> = {}) {
  const fixture = hostingFixture(stack);
  const endpoint = new Endpoint(stack, 'Endpoint', {
    variants: [EndpointVariant.forInferenceComponents({ instanceType: M6I_XLARGE, minInstanceCount: 0, maxInstanceCount: 2, ...variant })],
    encryptionKey: fixture.key,
    ...props,
  });
  return { ...fixture, endpoint };
}

const COMPUTE: ComputeResourceRequirements = { cpuCores: 1, minMemory: Size.mebibytes(1024) };

function component(stack: Stack, overrides: Partial<InferenceComponentProps> = {}, variant: Partial<InferenceComponentVariantProps> = {}) {
  const fixture = componentEndpoint(stack, variant);
  const ic = new InferenceComponent(stack, 'Scoring', { endpoint: fixture.endpoint, model: fixture.model, computeResources: COMPUTE, ...overrides });
  return { ...fixture, ic };
}

describe('InstanceType capacity facts used by the fit checks', () => {
  test('vCPUs, memory and accelerators of known types; undefined for unknown types and tokens', () => {
    expect(InstanceType.ML_G5_12XLARGE.vcpuCount).toBe(48);
    expect(InstanceType.ML_G5_12XLARGE.memorySize?.toGibibytes()).toBe(192);
    expect(InstanceType.ML_G5_12XLARGE.acceleratorCount).toBe(4);
    expect(InstanceType.ML_INF2_XLARGE.acceleratorCount).toBe(1);
    expect(InstanceType.ML_P3_2XLARGE.memorySize?.toGibibytes()).toBe(61);
    expect(M6I_XLARGE.vcpuCount).toBe(4);
    expect(M6I_XLARGE.acceleratorCount).toBe(0);
    expect(InstanceType.of('ml.x9.xlarge').vcpuCount).toBeUndefined();
    expect(InstanceType.of('ml.x9.xlarge').memorySize).toBeUndefined();
    expect(InstanceType.of(Token.asString(new CfnParameter(testStack(), 'Type'))).vcpuCount).toBeUndefined();
  });
});

describe('Endpoint for inference components: its own network', () => {
  test('isolates the components by default and runs them in the given VPC through the endpoint config, whose role may manage their network interfaces', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    componentEndpoint(stack, {}, { vpc: network.vpc, securityGroups: [network.securityGroup] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      EnableNetworkIsolation: true,
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkWorkloadSecurityGroup'), 'GroupId'] }], Subnets: Match.anyValue() },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).toContain('ec2:CreateNetworkInterface');
  });

  test('without a VPC: isolated, no VpcConfig; networkIsolation false switches isolation off', () => {
    for (const networkIsolation of [undefined, false]) {
      const stack = testStack();
      componentEndpoint(stack, {}, { networkIsolation });
      Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', { EnableNetworkIsolation: networkIsolation ?? true, VpcConfig: Match.absent() });
    }
  });

  test('an endpoint whose variants serve models takes no network of its own', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    const network = new MlNetwork(stack, 'Network');
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })], vpc: network.vpc })).toThrow(
      /vpc is set on an endpoint whose variants serve models, but only endpoints that host inference components take a network of their own; set vpc and networkIsolation on each Model instead/,
    );
  });

  test('subnets or security groups need the vpc', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    expect(() => componentEndpoint(stack, {}, { securityGroups: [network.securityGroup] })).toThrow(/vpcSubnets and securityGroups need vpc; pass the VPC/);
  });

  test('at most 5 security groups', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    const groups = Array.from({ length: 6 }, (_, i) => new ec2.SecurityGroup(stack, `Group${i}`, { vpc: network.vpc }));
    expect(() => componentEndpoint(stack, {}, { vpc: network.vpc, securityGroups: groups })).toThrow(/securityGroups has 6 security groups, but a SageMaker VpcConfig takes at most 5/);
  });
});

describe('Endpoint for inference components', () => {
  test('renders variants without a model, with managed instance scaling, routing and an execution role', () => {
    const stack = testStack();
    const { endpoint } = componentEndpoint(stack, { routingStrategy: RoutingStrategy.LEAST_OUTSTANDING_REQUESTS, volumeSize: Size.gibibytes(30) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointExecutionRole'), 'Arn'] },
      KmsKeyId: Match.anyValue(),
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: Match.absent(),
          InitialVariantWeight: Match.absent(),
          InstanceType: 'ml.m6i.xlarge',
          InitialInstanceCount: 1,
          VolumeSizeInGB: 30,
          ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 0, MaxInstanceCount: 2 },
          RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        },
      ],
    });
    expect(endpoint.hostsInferenceComponents).toBe(true);
    expect(endpoint.executionRole).toBeDefined();
    // The role may write SageMaker's logs and metrics and use the volume key, nothing else.
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p) => JSON.stringify(p));
    const rolePolicies = policies.filter((p) => p.includes('EndpointExecutionRole'));
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => id.includes('EndpointExecutionRole'));
    expect(roles.map(([, role]) => role.Properties.ManagedPolicyArns)).toEqual([
      [{ Ref: expect.stringMatching(/^SageMakerExecutionRoleLogs/) }, { Ref: expect.stringMatching(/^SageMakerExecutionRoleMetrics/) }],
    ]);
    expect(rolePolicies.join()).toMatch(/kms:CreateGrant/);
    expect(rolePolicies.join()).not.toMatch(/s3:|ecr:/);
  });

  test('defaults: one instance, minimum 1, maximum the initial count, SageMaker routing', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    void model;
    new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.forInferenceComponents({ instanceType: M6I_XLARGE })] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [{ InitialInstanceCount: 1, ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 1 }, RoutingConfig: Match.absent() }],
    });
  });

  test('a given execution role is used and no role is created', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    const role = model.role;
    new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.forInferenceComponents({ instanceType: M6I_XLARGE })], executionRole: role });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ModelRole'), 'Arn'] } });
    expect(Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('EndpointExecutionRole'))).toEqual([]);
  });

  test('an endpoint that serves models has no execution role (its snapshot is unchanged)', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    const endpoint = new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ExecutionRoleArn: Match.absent(),
      ProductionVariants: [{ ModelName: Match.anyValue(), ManagedInstanceScaling: Match.absent(), InitialVariantWeight: 1 }],
    });
    expect(endpoint.hostsInferenceComponents).toBe(false);
    expect(endpoint.executionRole).toBeUndefined();
  });

  describe('rules', () => {
    const icVariant = (props: Partial<InferenceComponentVariantProps> = {}) => EndpointVariant.forInferenceComponents({ instanceType: M6I_XLARGE, ...props });

    test('model variants and inference-component variants cannot be mixed', () => {
      const stack = testStack();
      const { model } = hostingFixture(stack);
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ variantName: 'A' }), EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'B' })] })).toThrow(
        /\[TestStack\/Endpoint\] variants mixes EndpointVariant.forInferenceComponents with variants that serve a model.*use separate endpoints/,
      );
    });

    test('addVariant cannot add a model variant to an endpoint for inference components', () => {
      const stack = testStack();
      const { model, endpoint } = componentEndpoint(stack);
      expect(() => endpoint.addVariant(EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'B' }))).toThrow(
        /every variant must be EndpointVariant.forInferenceComponents/,
      );
    });

    test('addVariant cannot add an inference-component variant to an endpoint that serves models', () => {
      const stack = testStack();
      const { model } = hostingFixture(stack);
      const endpoint = new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
      expect(() => endpoint.addVariant(icVariant({ variantName: 'B' }))).toThrow(/cannot join an endpoint whose variants serve models/);
    });

    test('shadow variants are refused', () => {
      const stack = testStack();
      const { model } = hostingFixture(stack);
      expect(
        () => new Endpoint(stack, 'Endpoint', { variants: [icVariant()], shadowVariants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] }),
      ).toThrow(/shadowVariants is set on an endpoint that hosts inference components.*remove shadowVariants/);
    });

    test('a variant for inference components cannot be a shadow', () => {
      const stack = testStack();
      const { model } = hostingFixture(stack);
      expect(
        () => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })], shadowVariants: [icVariant({ variantName: 'S' })] }),
      ).toThrow(/a shadow variant must serve a model; use EndpointVariant.instance for the shadow/);
    });

    test('asynchronous inference is refused', () => {
      const stack = testStack();
      const { bucket } = hostingFixture(stack);
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant()], asyncInference: { outputBucket: bucket } })).toThrow(
        /asyncInference is set on an endpoint that hosts inference components.*remove asyncInference/,
      );
    });

    test('data capture is refused', () => {
      const stack = testStack();
      const { bucket } = hostingFixture(stack);
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant()], dataCapture: { destination: bucket } })).toThrow(
        /dataCapture is set on an endpoint that hosts inference components.*remove dataCapture/,
      );
    });

    test('serverless variants cannot join', () => {
      const stack = testStack();
      const { bucket } = hostingFixture(stack);
      const model = new Model(stack, 'Serverless', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'm.tar.gz') }], networkIsolation: false });
      expect(
        () => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ variantName: 'A' }), EndpointVariant.serverless({ model, memorySize: Size.gibibytes(2), maxConcurrency: 5, variantName: 'B' })] }),
      ).toThrow(/serverless and instance variants cannot be mixed/);
    });

    test('executionRole on an endpoint that serves models is refused', () => {
      const stack = testStack();
      const { model } = hostingFixture(stack);
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })], executionRole: model.role })).toThrow(
        /executionRole is set, but it is only used by endpoints that host inference components/,
      );
    });

    test('instance counts must satisfy min <= initial <= max', () => {
      const stack = testStack();
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ minInstanceCount: 2, initialInstanceCount: 1, maxInstanceCount: 3 })] })).toThrow(
        /minInstanceCount <= initialInstanceCount <= maxInstanceCount, but they are 2, 1 and 3/,
      );
    });

    test('the initial instance count is at least 1, even when scaling to zero', () => {
      const stack = testStack();
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ minInstanceCount: 0, initialInstanceCount: 0 })] })).toThrow(/initialInstanceCount is 0, but must be between 1 and 1000/);
    });

    test('the maximum instance count is at least 1', () => {
      const stack = testStack();
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ minInstanceCount: 0, maxInstanceCount: 0 })] })).toThrow(/maxInstanceCount is 0, but must be between 1 and 1000/);
    });

    test('instance counts are whole numbers', () => {
      const stack = testStack();
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ minInstanceCount: 0.5 })] })).toThrow(/minInstanceCount is 0.5, but must be a whole number/);
    });

    test('no volume key on an instance type with local NVMe storage', () => {
      const stack = testStack();
      const { key } = hostingFixture(stack);
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ instanceType: InstanceType.ML_G5_XLARGE })], encryptionKey: key })).toThrow(/ml.g5.xlarge has local NVMe instance storage/);
    });

    test('the volume size is 1-512 GiB', () => {
      const stack = testStack();
      expect(() => new Endpoint(stack, 'Endpoint', { variants: [icVariant({ volumeSize: Size.gibibytes(600) })] })).toThrow(/volumeSize \(GiB\) is 600, but must be between 1 and 512/);
    });

    test('instances are scaled by SageMaker, not by autoScaleInstanceCount', () => {
      const stack = testStack();
      const { endpoint } = componentEndpoint(stack);
      expect(() => endpoint.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 })).toThrow(/hosts inference components: SageMaker scales its instances itself/);
    });

    test('nor by autoScaleProvisionedConcurrency', () => {
      const stack = testStack();
      const { endpoint } = componentEndpoint(stack);
      expect(() => endpoint.variant('AllTraffic').autoScaleProvisionedConcurrency({ minCapacity: 1, maxCapacity: 2 })).toThrow(/hosts inference components, not serverless capacity/);
    });
  });
});

describe('InferenceComponent', () => {
  test('renders the component on the endpoint variant, after the endpoint is in service', () => {
    const stack = testStack();
    const { ic, endpoint, model } = component(stack, {
      computeResources: { cpuCores: 2, minMemory: Size.gibibytes(2), maxMemory: Size.gibibytes(4) },
      copyCount: 2,
      modelDataDownloadTimeout: Duration.minutes(10),
      containerStartupHealthCheckTimeout: Duration.minutes(5),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
      InferenceComponentName: stack.resolve(ic.inferenceComponentName),
      EndpointName: stack.resolve(endpoint.endpointName),
      VariantName: 'AllTraffic',
      Specification: {
        ModelName: stack.resolve(model.modelName),
        ComputeResourceRequirements: { NumberOfCpuCoresRequired: 2, MinMemoryRequiredInMb: 2048, MaxMemoryRequiredInMb: 4096, NumberOfAcceleratorDevicesRequired: Match.absent() },
        StartupParameters: { ModelDataDownloadTimeoutInSeconds: 600, ContainerStartupHealthCheckTimeoutInSeconds: 300 },
      },
      RuntimeConfig: { CopyCount: 2 },
    });
    const [id] = Object.keys(template.findResources('AWS::SageMaker::InferenceComponent'));
    const dependsOn: string[] = template.toJSON().Resources[id].DependsOn;
    const endpointId = stack.getLogicalId(endpoint.node.defaultChild as never);
    expect(dependsOn).toContain(endpointId);
    expect(stack.resolve(ic.inferenceComponentName)).toMatch(/^TestStack-Scoring-[0-9a-f]{8}$/);
    expect(stack.resolve(ic.inferenceComponentArn)).toEqual({ 'Fn::GetAtt': [id, 'InferenceComponentArn'] });
  });

  test('a given name, a named variant and accelerators on a GPU instance', () => {
    const stack = testStack();
    const gpuModel = new Model(stack, 'GpuModel', { containers: [{ image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }) }] });
    const endpoint = new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.forInferenceComponents({ instanceType: InstanceType.ML_G5_12XLARGE, variantName: 'Gpu' })],
    });
    new InferenceComponent(stack, 'Llm', {
      endpoint,
      variantName: 'Gpu',
      model: gpuModel,
      inferenceComponentName: 'loan-llm',
      computeResources: { cpuCores: 8, minMemory: Size.gibibytes(32), acceleratorDevices: 4 },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::InferenceComponent', {
      InferenceComponentName: 'loan-llm',
      VariantName: 'Gpu',
      Specification: { ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 4, NumberOfCpuCoresRequired: 8, MinMemoryRequiredInMb: 32768 } },
    });
  });

  test('fromInferenceComponentName gives the name, ARN and metrics', () => {
    const stack = testStack();
    const ic = InferenceComponent.fromInferenceComponentName(stack, 'Imported', 'loan-scoring');
    expect(stack.resolve(ic.inferenceComponentArn)).toBe('arn:aws:sagemaker:us-east-1:123456789012:inference-component/loan-scoring');
    expect(ic.inferenceComponentName).toBe('loan-scoring');
    expect(stack.resolve(ic.metric('Invocations').namespace)).toBe('AWS/SageMaker');
  });

  test('metrics: invocation metrics in AWS/SageMaker, utilization in /aws/sagemaker/InferenceComponents', () => {
    const stack = testStack();
    const { ic } = component(stack);
    const name = stack.resolve(ic.inferenceComponentName);
    const check = (metric: { namespace: string; metricName: string; dimensions?: Record<string, unknown>; statistic: string }, namespace: string, metricName: string, statistic: string) => {
      expect(metric.namespace).toBe(namespace);
      expect(metric.metricName).toBe(metricName);
      expect(stack.resolve(metric.dimensions)).toEqual({ InferenceComponentName: name });
      expect(metric.statistic).toBe(statistic);
    };
    check(ic.metricInvocations(), 'AWS/SageMaker', 'Invocations', 'Sum');
    check(ic.metricModelLatency(), 'AWS/SageMaker', 'ModelLatency', 'Average');
    check(ic.metricInvocation4XXErrors(), 'AWS/SageMaker', 'Invocation4XXErrors', 'Sum');
    check(ic.metricInvocation5XXErrors(), 'AWS/SageMaker', 'Invocation5XXErrors', 'Sum');
    check(ic.metricNoCapacityInvocationFailures(), 'AWS/SageMaker', 'NoCapacityInvocationFailures', 'Sum');
    check(ic.metricCpuUtilization(), '/aws/sagemaker/InferenceComponents', 'CPUUtilizationNormalized', 'Average');
    check(ic.metricMemoryUtilization(), '/aws/sagemaker/InferenceComponents', 'MemoryUtilizationNormalized', 'Average');
  });

  describe('autoscaling', () => {
    test('copy-count target tracking on invocations per copy', () => {
      const stack = testStack();
      const { ic } = component(stack);
      ic.autoScaleCopyCount({ minCopies: 1, maxCopies: 4 }).scaleOnInvocationsPerCopy({ targetInvocationsPerCopy: 10 });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'sagemaker',
        ResourceId: `inference-component/${stack.resolve(ic.inferenceComponentName)}`,
        ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
        MinCapacity: 1,
        MaxCapacity: 4,
        RoleARN: Match.stringLikeRegexp('role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint$'),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentInvocationsPerCopy' },
          TargetValue: 10,
          ScaleInCooldown: 300,
          ScaleOutCooldown: 300,
        },
      });
      const [targetId] = Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
      const [icId] = Object.keys(template.findResources('AWS::SageMaker::InferenceComponent'));
      expect(template.toJSON().Resources[targetId].DependsOn).toContain(icId);
    });

    test('copy-count target tracking on concurrent requests per copy', () => {
      const stack = testStack();
      const { ic } = component(stack);
      ic.autoScaleCopyCount({ minCopies: 1, maxCopies: 4 }).scaleOnConcurrentRequestsPerCopy({ targetConcurrentRequestsPerCopy: 5 });
      Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution' },
          TargetValue: 5,
        },
      });
    });

    test('scale to zero: min copies 0, and a step policy on a NoCapacityInvocationFailures alarm brings a copy back', () => {
      const stack = testStack();
      const { ic } = component(stack, { copyCount: 1 });
      const scaling = ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 });
      scaling.scaleOnInvocationsPerCopy({ targetInvocationsPerCopy: 1 });
      const alarm = scaling.scaleOutFromZero();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 2 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'ChangeInCapacity',
          MetricAggregationType: 'Maximum',
          Cooldown: 60,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SageMaker',
        MetricName: 'NoCapacityInvocationFailures',
        Dimensions: [{ Name: 'InferenceComponentName', Value: stack.resolve(ic.inferenceComponentName) }],
        Statistic: 'Sum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('ScaleOutFromZero') }],
      });
      expect(alarm.alarmArn).toBeDefined();
    });

    describe('rules', () => {
      test('minCopies is 0 or more', () => {
        const stack = testStack();
        const { ic } = component(stack);
        expect(() => ic.autoScaleCopyCount({ minCopies: -1, maxCopies: 2 })).toThrow(/\[TestStack\/Scoring\] minCopies is -1, but must be between 0/);
      });

      test('maxCopies is at least 1', () => {
        const stack = testStack();
        const { ic } = component(stack, { copyCount: 0 });
        expect(() => ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 0 })).toThrow(/maxCopies is 0, but must be between 1/);
      });

      test('minCopies is not above maxCopies', () => {
        const stack = testStack();
        const { ic } = component(stack, { copyCount: 3 });
        expect(() => ic.autoScaleCopyCount({ minCopies: 3, maxCopies: 2 })).toThrow(/minCopies 3 is above maxCopies 2/);
      });

      test('the range contains the copy count', () => {
        const stack = testStack();
        const { ic } = component(stack, { copyCount: 5 });
        expect(() => ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 })).toThrow(/copyCount 5 lies outside the scaling range 0-2/);
      });

      test('autoScaleCopyCount is called once', () => {
        const stack = testStack();
        const { ic } = component(stack);
        ic.autoScaleCopyCount({ minCopies: 1, maxCopies: 2 });
        expect(() => ic.autoScaleCopyCount({ minCopies: 1, maxCopies: 2 })).toThrow(/already called/);
      });

      test('scaleOutFromZero needs minCopies 0', () => {
        const stack = testStack();
        const { ic } = component(stack);
        expect(() => ic.autoScaleCopyCount({ minCopies: 1, maxCopies: 2 }).scaleOutFromZero()).toThrow(/scaleOutFromZero\(\) needs minCopies 0, but minCopies is 1/);
      });

      test('scaleOutFromZero adds a whole number of copies, at most maxCopies', () => {
        const stack = testStack();
        const { ic } = component(stack);
        const scaling = ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 });
        expect(() => scaling.scaleOutFromZero({ copiesToAdd: 3 })).toThrow(/copiesToAdd is 3, above maxCopies 2/);
        expect(() => scaling.scaleOutFromZero({ copiesToAdd: 0 })).toThrow(/copiesToAdd is 0, but must be a whole number of at least 1/);
      });

      test('minCopies 0 without a way back from zero is a warning', () => {
        const stack = testStack();
        const { ic } = component(stack);
        ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 }).scaleOnInvocationsPerCopy({ targetInvocationsPerCopy: 1 });
        Annotations.fromStack(stack).hasWarning('/TestStack/Scoring/CopyCountScaling', Match.stringLikeRegexp('minCopies is 0 but nothing brings the component back from zero copies'));
      });

      test('no warning with scaleOutFromZero()', () => {
        const stack = testStack();
        const { ic } = component(stack);
        ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 }).scaleOutFromZero();
        Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('nothing brings the component back'));
      });

      test('scaleOutFromZero is called once', () => {
        const stack = testStack();
        const { ic } = component(stack);
        const scaling = ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 });
        scaling.scaleOutFromZero();
        expect(() => scaling.scaleOutFromZero()).toThrow(/already called/);
      });
    });
  });

  describe('rules', () => {
    const make = (overrides: Partial<InferenceComponentProps> = {}, variant: Partial<InferenceComponentVariantProps> = {}) => () => component(testStack(), overrides, variant);

    test('the endpoint must host inference components', () => {
      const stack = testStack();
      const { model } = hostingFixture(stack);
      const endpoint = new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
      expect(() => new InferenceComponent(stack, 'Scoring', { endpoint, model, computeResources: COMPUTE })).toThrow(
        /\[TestStack\/Scoring\] endpoint TestStack\/Endpoint serves models on its variants and hosts no inference components/,
      );
    });

    test('the variant must exist', () => {
      expect(make({ variantName: 'Missing' })).toThrow(/variantName is "Missing", but endpoint TestStack\/Endpoint has no such variant \(its variants: AllTraffic\)/);
    });

    test('cpu cores must fit on one instance', () => {
      expect(make({ computeResources: { cpuCores: 8, minMemory: Size.gibibytes(1) } })).toThrow(/cpuCores is 8, but one ml.m6i.xlarge instance has 4 vCPUs, so no copy can be placed/);
    });

    test('cpu cores are not negative', () => {
      expect(make({ computeResources: { cpuCores: -1, minMemory: Size.gibibytes(1) } })).toThrow(/cpuCores is -1, but must not be negative/);
    });

    test('memory must fit on one instance', () => {
      expect(make({ computeResources: { minMemory: Size.gibibytes(32) } })).toThrow(/minMemory is 32768 MiB, but one ml.m6i.xlarge instance has 16384 MiB/);
    });

    test('memory is at least 128 MiB', () => {
      expect(make({ computeResources: { minMemory: Size.mebibytes(64) } })).toThrow(/minMemory is 64 MiB, but must be at least 128 MiB/);
    });

    test('memory is in whole MiB', () => {
      expect(make({ computeResources: { minMemory: Size.kibibytes(200_000) } })).toThrow(/minMemory is 195.3125 MiB, but SageMaker takes whole MiB/);
    });

    test('maxMemory is not below minMemory', () => {
      expect(make({ computeResources: { minMemory: Size.gibibytes(2), maxMemory: Size.gibibytes(1) } })).toThrow(/maxMemory \(1024 MiB\) is below minMemory \(2048 MiB\)/);
    });

    test('accelerators need an accelerated instance', () => {
      expect(make({ computeResources: { minMemory: Size.gibibytes(1), acceleratorDevices: 1 } })).toThrow(/acceleratorDevices is 1, but ml.m6i.xlarge has no GPUs or Inferentia chips/);
    });

    test('accelerators must fit on one instance', () => {
      const stack = testStack();
      const { model } = hostingFixture(stack);
      const endpoint = new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.forInferenceComponents({ instanceType: InstanceType.ML_INF2_XLARGE })] });
      expect(() => new InferenceComponent(stack, 'Scoring', { endpoint, model, computeResources: { minMemory: Size.gibibytes(1), acceleratorDevices: 2 } })).toThrow(
        /acceleratorDevices is 2, but one ml.inf2.xlarge instance has 1, so no copy can be placed/,
      );
    });

    test('accelerators are a whole number of at least 1', () => {
      expect(make({ computeResources: { minMemory: Size.gibibytes(1), acceleratorDevices: 0 } })).toThrow(/acceleratorDevices is 0, but must be between 1/);
    });

    test('copyCount is a whole number, 0 or more', () => {
      expect(make({ copyCount: 1.5 })).toThrow(/copyCount is 1.5, but must be a whole number/);
    });

    test('the name follows SageMaker\'s rule', () => {
      expect(make({ inferenceComponentName: 'bad_name' })).toThrow(/inferenceComponentName "bad_name" must be 1-63 letters, digits and hyphens/);
    });

    test('startup timeouts are 60 s to 1 hour', () => {
      expect(make({ containerStartupHealthCheckTimeout: Duration.seconds(30) })).toThrow(/containerStartupHealthCheckTimeout \(seconds\) is 30, but must be between 60 and 3600/);
    });

    test('a GPU image cannot run on a CPU instance', () => {
      const stack = testStack();
      const { endpoint } = componentEndpoint(stack);
      const gpu = new Model(stack, 'Gpu', { containers: [{ image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }) }] });
      expect(() => new InferenceComponent(stack, 'Scoring', { endpoint, model: gpu, computeResources: COMPUTE })).toThrow(/container 1 of model TestStack\/Gpu: the image is a GPU image/);
    });

    test('problems are gathered into one message', () => {
      expect(make({ copyCount: -1, computeResources: { cpuCores: 8, minMemory: Size.gibibytes(32) } })).toThrow(/3 problems:/);
    });

    test('tokens pass through unchecked', () => {
      const stack = testStack();
      const { endpoint, model } = componentEndpoint(stack);
      const cores = Token.asNumber(new CfnParameter(stack, 'Cores', { type: 'Number' }));
      const memory = Token.asNumber(new CfnParameter(stack, 'Memory', { type: 'Number' }));
      const copies = Token.asNumber(new CfnParameter(stack, 'Copies', { type: 'Number' }));
      new InferenceComponent(stack, 'Scoring', { endpoint, model, computeResources: { cpuCores: cores, minMemory: Size.mebibytes(memory), acceleratorDevices: cores }, copyCount: copies });
      Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::InferenceComponent', {
        Specification: { ComputeResourceRequirements: { NumberOfCpuCoresRequired: { Ref: 'Cores' }, MinMemoryRequiredInMb: { Ref: 'Memory' } } },
        RuntimeConfig: { CopyCount: { Ref: 'Copies' } },
      });
    });
  });

  test('deployment policies stay available on the endpoint', () => {
    const stack = testStack();
    expect(() => componentEndpoint(stack, {}, { deployment: DeploymentPolicy.allAtOnce() })).not.toThrow();
  });

  test('default use is clean under cdk-nag (AwsSolutions, HIPAA, NIST 800-53 R5) and the schema rules, and least privilege', () => {
    const app = testApp();
    const stack = testStack(app);
    const { ic } = component(stack, { copyCount: 1 });
    const scaling = ic.autoScaleCopyCount({ minCopies: 0, maxCopies: 2 });
    scaling.scaleOnInvocationsPerCopy({ targetInvocationsPerCopy: 1 });
    scaling.scaleOutFromZero();
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
