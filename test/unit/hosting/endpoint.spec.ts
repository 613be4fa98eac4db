import { Duration, Size, Token, aws_cloudwatch as cloudwatch, aws_iam as iam, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { InstanceType } from '../../../lib/constructs/core';
import { DeploymentPolicy, Endpoint, EndpointVariant } from '../../../lib/constructs/hosting';
import { testApp, testStack } from '../../helpers';
import { hostingFixture, referenceEndpoint, serverlessModel } from './fixtures';

describe('Endpoint', () => {
  test('reference: ml.c5.xlarge x 2, weight 1, data capture 100 %, KMS; no fixed config name', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      EndpointConfigName: Match.absent(),
      KmsKeyId: Match.anyValue(),
      ProductionVariants: [
        { VariantName: 'AllTraffic', ModelName: Match.anyValue(), InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 2, InitialVariantWeight: 1 },
      ],
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: Match.anyValue(),
        KmsKeyId: Match.anyValue(),
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
      },
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointConfigName: { 'Fn::GetAtt': [Match.anyValue(), 'EndpointConfigName'] } });
    expect(endpoint.isServerless).toBe(false);
    expect(endpoint.dataCapture?.samplingPercentage).toBe(100);
    expect(JSON.stringify(stack.resolve(endpoint.dataCapture?.s3Uri))).toMatch(/^\{"Fn::Join":\["",\["s3:\/\/",\{"Ref":"Artifacts.*"\},"\/data-capture\/"\]\]\}$/);
    expect(endpoint.dataCapture?.prefix).toBe('data-capture/');
  });

  test('update safety: a new model image gives a new endpoint config logical id; the endpoint keeps its id', () => {
    const ids = ['1.7-1', '1.5-1'].map((version) => {
      const stack = testStack();
      const { model } = hostingFixture(stack, { image: version });
      const endpoint = new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
      void endpoint;
      const template = Template.fromStack(stack).toJSON();
      const types = Object.entries(template.Resources as Record<string, { Type: string }>);
      return {
        config: types.filter(([, r]) => r.Type === 'AWS::SageMaker::EndpointConfig').map(([id]) => id),
        endpoint: types.filter(([, r]) => r.Type === 'AWS::SageMaker::Endpoint').map(([id]) => id),
      };
    });
    expect(ids[0].config).toHaveLength(1);
    expect(ids[0].config[0]).not.toEqual(ids[1].config[0]);
    expect(ids[0].endpoint).toEqual(ids[1].endpoint);
  });

  test('the same inputs give the same endpoint config id (stable synth)', () => {
    const build = () => {
      const stack = testStack();
      referenceEndpoint(stack);
      return Object.keys(Template.fromStack(stack).findResources('AWS::SageMaker::EndpointConfig'));
    };
    expect(build()).toEqual(build());
  });

  test('A/B variants with weights', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    const endpoint = new Endpoint(stack, 'Endpoint', {
      variants: [
        EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'A', initialVariantWeight: 0.9 }),
        EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'B', initialVariantWeight: 0.1, volumeSize: Size.gibibytes(20), modelDataDownloadTimeout: Duration.minutes(10) }),
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({ VariantName: 'A', InitialVariantWeight: 0.9 }),
        Match.objectLike({ VariantName: 'B', InitialVariantWeight: 0.1, VolumeSizeInGB: 20, ModelDataDownloadTimeoutInSeconds: 600 }),
      ],
      ShadowProductionVariants: Match.absent(),
    });
    expect(endpoint.variant('B').variantName).toBe('B');
    expect(() => endpoint.variant('C')).toThrow(/no variant named "C"; the endpoint's variants are: A, B/);
  });

  test('one production variant and its shadow', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    const endpoint = new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'Production' })],
      shadowVariants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'Shadow' })],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ VariantName: 'Production' })],
      ShadowProductionVariants: [Match.objectLike({ VariantName: 'Shadow' })],
    });
    expect(endpoint.shadowVariants.map((v) => v.variantName)).toEqual(['Shadow']);
  });

  test('a shadow variant beside two production variants is refused (one production variant with a shadow)', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    expect(() => new Endpoint(stack, 'Endpoint', {
      variants: [
        EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'A' }),
        EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'B' }),
      ],
      shadowVariants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'Shadow' })],
    })).toThrow(/Endpoint.*shadowVariants is set beside 2 production variants, but an endpoint with a shadow variant takes exactly one production variant/);
  });

  test('two shadow variants are refused', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    expect(() => new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })],
      shadowVariants: [
        EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'S1' }),
        EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'S2' }),
      ],
    })).toThrow(/shadowVariants has 2 entries, but an endpoint takes at most one shadow variant/);
  });

  test('serverless variant: reference 2048 MB, max concurrency 50, provisioned 2', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const model = serverlessModel(stack, bucket);
    const endpoint = new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 50, provisionedConcurrency: 2 })],
    });
    endpoint.variant('AllTraffic').autoScaleProvisionedConcurrency({ minCapacity: 1, maxCapacity: 10 }).scaleOnUtilization({ targetUtilization: 0.7 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 50, ProvisionedConcurrency: 2 }, InstanceType: Match.absent() })],
    });
    expect(endpoint.isServerless).toBe(true);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'sagemaker:variant:DesiredProvisionedConcurrency',
    });
  });

  test('async inference: output and failure paths, topics, concurrency, and write grants to the model role', () => {
    const stack = testStack();
    const { model, bucket } = hostingFixture(stack);
    const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
    new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })],
      asyncInference: { outputBucket: bucket, successTopic: topic, errorTopic: topic, maxConcurrentInvocationsPerInstance: 4 },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        OutputConfig: { S3OutputPath: Match.anyValue(), S3FailurePath: Match.anyValue(), KmsKeyId: Match.anyValue(), NotificationConfig: { SuccessTopic: { Ref: Match.anyValue() }, ErrorTopic: { Ref: Match.anyValue() } } },
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish' })]) },
    });
  });

  test('autoscaling: reference min 1, max 4, 70 invocations per instance, cooldowns 300 s; resource id; retains variant properties', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    endpoint.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 }).scaleOnInvocations({ targetInvocationsPerInstance: 70 });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::ApplicationAutoScaling::ScalableTarget', {
      Properties: {
        MinCapacity: 1,
        MaxCapacity: 4,
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        ServiceNamespace: 'sagemaker',
        ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': [Match.anyValue(), 'EndpointName'] }, '/variant/AllTraffic']] },
      },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^Endpoint')]),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 70,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 300,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      },
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', { RetainAllVariantProperties: true });
  });

  test('CPU utilization target tracking and scheduled scaling', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const scaling = endpoint.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 });
    scaling.scaleOnCpuUtilization({ targetUtilizationPercent: 60 });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 60,
        CustomizedMetricSpecification: Match.objectLike({ MetricName: 'CPUUtilization', Namespace: '/aws/sagemaker/Endpoints' }),
      }),
    });
  });

  test('without autoscaling the endpoint does not retain variant properties', () => {
    const stack = testStack();
    referenceEndpoint(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Endpoint', { RetainAllVariantProperties: Match.absent() });
  });

  test('canary deployment with alarm rollback', () => {
    const stack2 = testStack(testApp(), 'Second');
    const latency = new cloudwatch.Alarm(stack2, 'Latency', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName: 'ModelLatency' }),
      threshold: 100000,
      evaluationPeriods: 2,
    });
    referenceEndpoint(stack2, {
      deployment: DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10), rollbackAlarms: [latency], bakeTime: Duration.minutes(5) }),
    });
    Template.fromStack(stack2).hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: Match.anyValue() }] },
        BlueGreenUpdatePolicy: {
          TerminationWaitInSeconds: 300,
          TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } },
        },
      },
    });
  });

  test('linear and rolling deployments', () => {
    const linear = testStack(testApp(), 'Linear');
    referenceEndpoint(linear, { deployment: DeploymentPolicy.linear({ stepPercent: 25, wait: Duration.minutes(2) }) });
    Template.fromStack(linear).hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'LINEAR', WaitIntervalInSeconds: 120, LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 } } } },
    });
    const rolling = testStack(testApp(), 'Rolling');
    referenceEndpoint(rolling, { deployment: DeploymentPolicy.rolling({ batchPercent: 50, wait: Duration.minutes(1) }) });
    Template.fromStack(rolling).hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: { RollingUpdatePolicy: { MaximumBatchSize: { Type: 'CAPACITY_PERCENT', Value: 50 }, WaitIntervalInSeconds: 60 } },
    });
  });

  test('grantInvoke allows only the invoke actions on this endpoint', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantInvoke(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Caller') }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync', 'sagemaker:InvokeEndpointWithResponseStream'],
            Effect: 'Allow',
            Resource: { Ref: Match.stringLikeRegexp('^Endpoint') },
          },
        ],
      },
    });
  });

  test('metrics use the right namespaces and dimensions', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const variant = endpoint.variant('AllTraffic');
    expect(variant.metricInvocations().namespace).toBe('AWS/SageMaker');
    expect(variant.metricModelLatency().statistic).toBe('Average');
    expect(variant.metricCpuUtilization().namespace).toBe('/aws/sagemaker/Endpoints');
    expect(variant.metricInvocation5XXErrors().metricName).toBe('Invocation5XXErrors');
    // The metrics name the endpoint by its physical name, not by a reference to the resource.
    expect(endpoint.metric('Invocations').dimensions?.EndpointName).toBe(endpoint.metricsEndpointName);
    expect(endpoint.metricsEndpointName).toMatch(/^TestStack-Endpoint-[0-9a-f]{8}$/);
    expect(endpoint.metric('Invocations').dimensions?.VariantName).toBe('AllTraffic');
  });

  test('imports: by name, by ARN, with attributes for monitors', () => {
    const stack = testStack();
    const byName = Endpoint.fromEndpointName(stack, 'A', 'scoring');
    expect(byName.endpointArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:endpoint/scoring');
    expect(byName.endpointRef.endpointArn).toBe(byName.endpointArn);
    const byArn = Endpoint.fromEndpointArn(stack, 'B', 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/other');
    expect(byArn.endpointName).toBe('other');
    const withAttrs = Endpoint.fromEndpointAttributes(stack, 'C', { endpointName: 'x', isServerless: true });
    expect(withAttrs.isServerless).toBe(true);
    expect(withAttrs.dataCapture).toBeUndefined();
  });
});

describe('Endpoint validation', () => {
  function build(props: (f: ReturnType<typeof hostingFixture>) => ConstructorParameters<typeof Endpoint>[2]) {
    const stack = testStack();
    const fixture = hostingFixture(stack);
    return () => new Endpoint(stack, 'Endpoint', props(fixture));
  }
  const c5 = InstanceType.ML_C5_XLARGE;

  test.each([
    [1000, /memorySize is 1000 MB, but must be 1024, 2048, 3072, 4096, 5120 or 6144 MB/],
    [8192, /memorySize is 8192 MB/],
  ])('serverless memory %d MB is rejected', (mb, message) => {
    expect(build(({ model }) => ({ variants: [EndpointVariant.serverless({ model, memorySize: Size.mebibytes(mb), maxConcurrency: 5 })] }))).toThrow(message);
  });

  test('serverless max concurrency outside 1-200', () => {
    expect(build(({ model }) => ({ variants: [EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 201 })] }))).toThrow(
      /maxConcurrency is 201, but must be between 1 and 200/,
    );
  });

  test('provisioned concurrency above max concurrency', () => {
    expect(build(({ model }) => ({ variants: [EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 5, provisionedConcurrency: 6 })] }))).toThrow(
      /provisionedConcurrency 6 is above maxConcurrency 5; lower it or raise maxConcurrency/,
    );
  });

  test('serverless mixed with instance variants', () => {
    expect(build(({ model }) => ({
      variants: [EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 5, variantName: 'S' }), EndpointVariant.instance({ model, instanceType: c5, variantName: 'I' })],
    }))).toThrow(/serverless and instance variants cannot be mixed/);
  });

  test('more than 10 variants', () => {
    expect(build(({ model }) => ({ variants: Array.from({ length: 11 }, (_, i) => EndpointVariant.instance({ model, instanceType: c5, variantName: `V${i}` })) }))).toThrow(
      /variants has 11 entries, but an endpoint holds at most 10/,
    );
  });

  test('no variants', () => {
    expect(build(() => ({ variants: [] }))).toThrow(/variants is empty/);
  });

  test('duplicate variant names', () => {
    expect(build(({ model }) => ({ variants: [EndpointVariant.instance({ model, instanceType: c5, variantName: 'A' }), EndpointVariant.instance({ model, instanceType: c5, variantName: 'A' })] }))).toThrow(
      /variant names must be unique, but A repeat/,
    );
  });

  test('all weights zero', () => {
    expect(build(({ model }) => ({
      variants: [EndpointVariant.instance({ model, instanceType: c5, variantName: 'A', initialVariantWeight: 0 }), EndpointVariant.instance({ model, instanceType: c5, variantName: 'B', initialVariantWeight: 0 })],
    }))).toThrow(/all variant weights are 0 \(0, 0\), so no variant would get traffic/);
  });

  test('data capture percentage outside 0-100', () => {
    expect(build(({ model, bucket }) => ({ variants: [EndpointVariant.instance({ model, instanceType: c5 })], dataCapture: { destination: bucket, samplingPercentage: 101 } }))).toThrow(
      /\[TestStack\/Endpoint\] dataCapture.samplingPercentage is 101, but must be between 0 and 100/,
    );
  });

  test('a KMS key with an NVMe instance type', () => {
    expect(build(({ model, key }) => ({ variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_G4DN_XLARGE })], encryptionKey: key }))).toThrow(
      /ml.g4dn.xlarge has local NVMe instance storage, which SageMaker encrypts in hardware and for which it rejects a KMS key; remove encryptionKey/,
    );
  });

  test('async config on a serverless variant', () => {
    expect(build(({ model, bucket }) => ({ variants: [EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 5 })], asyncInference: { outputBucket: bucket } }))).toThrow(
      /asyncInference is not supported with serverless variants/,
    );
  });

  test('a rolling deployment SageMaker refuses (serverless, several variants) and a bad canary size', () => {
    expect(build(({ model }) => ({
      variants: [EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 5 })],
      deployment: DeploymentPolicy.rolling({ batchPercent: 50, wait: Duration.minutes(1) }),
    }))).toThrow(/rolling deployment is not supported for serverless endpoints/);
    expect(build(({ model }) => ({
      variants: [EndpointVariant.instance({ model, instanceType: c5, variantName: 'A' }), EndpointVariant.instance({ model, instanceType: c5, variantName: 'B' })],
      deployment: DeploymentPolicy.rolling({ batchPercent: 50, wait: Duration.minutes(1) }),
    }))).toThrow(/rolling deployment is not supported for endpoints with several variants/);
    expect(build(({ model }) => ({ variants: [EndpointVariant.instance({ model, instanceType: c5 })], deployment: DeploymentPolicy.canary({ percent: 100, wait: Duration.minutes(1) }) }))).toThrow(
      /deployment canary size \(percent\) is 100, but must be between 1 and 99/,
    );
  });

  test('several problems come in one message', () => {
    expect(build(({ model }) => ({ variants: [EndpointVariant.instance({ model, instanceType: c5, initialInstanceCount: 0, volumeSize: Size.gibibytes(600) })] }))).toThrow(
      /2 problems:\n.*initialInstanceCount is 0.*\n.*volumeSize \(GiB\) is 600/,
    );
  });

  test('autoscaling on a burstable type, min > max, and an initial count outside the range', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    const t3 = new Endpoint(stack, 'T3', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_T3_MEDIUM })] });
    expect(() => t3.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 })).toThrow(/burstable \(ml.t\*\) instances/);
    const c5e = new Endpoint(stack, 'C5', { variants: [EndpointVariant.instance({ model, instanceType: c5, initialInstanceCount: 2 })] });
    expect(() => c5e.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 4, maxCapacity: 1 })).toThrow(/minCapacity 4 is greater than maxCapacity 1/);
    expect(() => c5e.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 3, maxCapacity: 4 })).toThrow(/initialInstanceCount 2 is outside the scaling range \[3, 4\]/);
  });

  test('unresolved tokens pass through unvalidated', () => {
    const stack = testStack();
    const { model, bucket } = hostingFixture(stack);
    const count = Token.asNumber({ Ref: 'Count' });
    const percent = Token.asNumber({ Ref: 'Percent' });
    expect(() => new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.of(Token.asString({ Ref: 'Type' })), initialInstanceCount: count })],
      dataCapture: { destination: bucket, samplingPercentage: percent },
    })).not.toThrow();
  });
});

describe('Endpoint.addVariant', () => {
  test('adds a challenger variant with its grants; the config renders it', () => {
    const stack = testStack();
    const { endpoint, model } = referenceEndpoint(stack, {});
    const challenger = endpoint.addVariant(EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'Challenger', initialVariantWeight: 0.1 }));
    expect(challenger.variantName).toBe('Challenger');
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ VariantName: 'AllTraffic' }), Match.objectLike({ VariantName: 'Challenger', InitialVariantWeight: 0.1 })],
    });
  });

  test('keeps the rules: duplicate names, serverless mix, rolling deployments', () => {
    const stack = testStack();
    const { endpoint, model } = referenceEndpoint(stack, {});
    expect(() => endpoint.addVariant(EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'AllTraffic' }))).toThrow(/variant names must be unique, but AllTraffic repeat/);
    expect(() => endpoint.addVariant(EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 5, variantName: 'S' }))).toThrow(/cannot be mixed/);
    const rolling = testStack(testApp(), 'Rolling');
    const r = referenceEndpoint(rolling, { deployment: DeploymentPolicy.rolling({ batchPercent: 50, wait: Duration.minutes(1) }) });
    expect(() => r.endpoint.addVariant(EndpointVariant.instance({ model: r.model, instanceType: InstanceType.ML_C5_XLARGE, variantName: 'B' }))).toThrow(/rolling deployment is not supported for endpoints with several variants/);
  });
});
