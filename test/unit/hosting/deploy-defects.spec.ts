import { CfnElement, Duration, Size, Stack, Token, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType, ModelData, Processor } from '../../../lib/constructs/core';
import { DeploymentPolicy, Endpoint, EndpointAlarms, EndpointVariant, InferenceApi, Model } from '../../../lib/constructs/hosting';
import { testStack } from '../../helpers';
import { hostingFixture, referenceEndpoint, serverlessModel } from './fixtures';

type Statement = { Action: string | string[]; Principal?: { Service?: string }; Condition?: Record<string, Record<string, unknown>>; Resource?: unknown };

function keyStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::KMS::Key')).flatMap((k) => (k.Properties.KeyPolicy.Statement as Statement[]));
}

describe('serverless feature exclusions', () => {
  const serverless = (model: Model) => EndpointVariant.serverless({ model, memorySize: Size.mebibytes(2048), maxConcurrency: 5 });

  test('a serverless variant whose model runs in a VPC is a synth error naming the exclusion', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack, { network: true });
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [serverless(model)] })).toThrow(
      /\[TestStack\/Endpoint\] 2 problems:[\s\S]*model TestStack\/Model runs in a VPC \(vpc is set\), but Serverless Inference does not support VPC configuration, network isolation, data capture, Model Monitor, multi-model endpoints or GPUs[\s\S]*give the serverless variant a model without vpc/,
    );
  });

  test('a serverless variant whose model is network-isolated is a synth error', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [serverless(model)] })).toThrow(
      /\[TestStack\/Endpoint\] variant: serverless variant's model TestStack\/Model runs with network isolation.*"Serverless Inference: feature exclusions".*networkIsolation: false/,
    );
  });

  test('a serverless variant whose model is multi-model is a synth error', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const model = new Model(stack, 'Multi', {
      containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'models/'), multiModel: true }],
      networkIsolation: false,
    });
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [serverless(model)] })).toThrow(/is a multi-model container \(multiModel: true\), but Serverless Inference does not support/);
  });

  test('data capture on an endpoint with a serverless variant is a synth error', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const model = serverlessModel(stack, bucket);
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [serverless(model)], dataCapture: { destination: bucket } })).toThrow(
      /\[TestStack\/Endpoint\] dataCapture is set on an endpoint with a serverless variant, but Serverless Inference does not support .*data capture.*; remove dataCapture/,
    );
  });

  test('a model fit for serverless (no VPC, no isolation) synthesizes', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    new Endpoint(stack, 'Endpoint', { variants: [serverless(serverlessModel(stack, bucket))] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false, VpcConfig: Match.absent() });
  });
});

describe('GPU and CPU images on hosting variants', () => {
  function gpuModel(stack: Stack) {
    const { bucket } = hostingFixture(stack);
    return new Model(stack, 'GpuModel', {
      containers: [{ image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }), modelData: ModelData.fromBucket(bucket, 'model.tar.gz') }],
    });
  }

  test('a GPU image on a CPU instance variant is a synth error', () => {
    const stack = testStack();
    const model = gpuModel(stack);
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] })).toThrow(
      /\[TestStack\/Endpoint\] variant: container 1 of model TestStack\/GpuModel: the image is a GPU image but instanceType ml\.c5\.xlarge has no GPU; use the image's CPU variant .* or a GPU instance type/,
    );
  });

  test('a CPU image on a GPU instance variant is a synth error', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const model = new Model(stack, 'CpuModel', {
      containers: [{ image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.CPU }), modelData: ModelData.fromBucket(bucket, 'model.tar.gz') }],
    });
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_P3_2XLARGE })] })).toThrow(
      /\[TestStack\/Endpoint\] variant: container 1 of model TestStack\/CpuModel: the image is a CPU image but instanceType ml\.p3\.2xlarge is a GPU instance whose GPUs it would never use; use the image's GPU variant .* or a CPU instance type/,
    );
  });

  test('a GPU image on a GPU instance passes', () => {
    const stack = testStack();
    const model = gpuModel(stack);
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_P3_2XLARGE })] })).not.toThrow();
  });
});

describe('canary and linear sizes', () => {
  test('a canary on a single instance is a synth error naming the count, the step and the rule', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    expect(() => new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 1 })],
      deployment: DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10) }),
    })).toThrow(/\[TestStack\/Endpoint\] deployment canary size 10% of variant with 1 instance shifts 1 instance \(100% of the fleet\), but SageMaker requires the canary to be at most 50% of the variant's instance count.*use DeploymentPolicy\.allAtOnce\(\)/);
  });

  test('a canary above half the fleet is a synth error; 10 % of 2 instances passes', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    expect(() => new Endpoint(stack, 'Big', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 4 })],
      deployment: DeploymentPolicy.canary({ percent: 60, wait: Duration.minutes(10) }),
    })).toThrow(/canary size 60% of variant with 4 instances shifts 3 instances \(75% of the fleet\).*lower the percentage to at most 50%/);
    expect(() => new Endpoint(stack, 'Ok', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 2 })],
      deployment: DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(10) }),
    })).not.toThrow();
  });

  test('a linear step below 10 % or on one instance is a synth error; unresolved counts pass', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    expect(() => new Endpoint(stack, 'Small', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 10 })],
      deployment: DeploymentPolicy.linear({ stepPercent: 5, wait: Duration.minutes(1) }),
    })).toThrow(/linear step size 5% is below 10%; SageMaker requires each linear step to be 10-50%/);
    expect(() => new Endpoint(stack, 'One', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })],
      deployment: DeploymentPolicy.linear({ stepPercent: 25, wait: Duration.minutes(1) }),
    })).toThrow(/linear step size 25% of variant with 1 instance/);
    expect(() => new Endpoint(stack, 'Token', {
      variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: Token.asNumber({ Ref: 'Count' }) })],
      deployment: DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(1) }),
    })).not.toThrow();
  });
});

describe('rollback alarms on an endpoint without a fixed name', () => {
  test('no dependency cycle; the alarm dimension is the generated endpoint name', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack, { deployment: DeploymentPolicy.allAtOnce({ bakeTime: Duration.minutes(5) }) });
    const alarms = new EndpointAlarms(stack, 'Alarms', { variant: endpoint.variant('AllTraffic') });
    endpoint.addRollbackAlarms(alarms.modelLatencyAlarm, alarms.errorsAlarm);
    const template = Template.fromStack(stack); // throws on a cycle
    const endpoints = template.findResources('AWS::SageMaker::Endpoint');
    const name = Object.values(endpoints)[0].Properties.EndpointName as string;
    expect(name).toMatch(/^TestStack-Endpoint-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ModelLatency',
      Dimensions: Match.arrayWith([{ Name: 'EndpointName', Value: name }]),
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: { Ref: Match.anyValue() } }, { AlarmName: { Ref: Match.anyValue() } }] },
        BlueGreenUpdatePolicy: Match.objectLike({ TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 } }),
      },
    });
    // SageMaker reads the rollback alarms with the model's role during a deployment.
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'cloudwatch:DescribeAlarms',
            Resource: [stack.resolve(alarms.modelLatencyAlarm.alarmArn), stack.resolve(alarms.errorsAlarm.alarmArn)],
          }),
        ]),
      },
    });
  });

  test('all at once with a baking period renders WaitIntervalInSeconds', () => {
    const stack = testStack();
    referenceEndpoint(stack, { deployment: DeploymentPolicy.allAtOnce({ bakingPeriod: Duration.minutes(10), bakeTime: Duration.minutes(5) }) });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: { BlueGreenUpdatePolicy: { TerminationWaitInSeconds: 300, TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 600 } } },
    });
  });

  test('generated names are stable, unique per path and at most 63 characters for long paths', () => {
    const names = ['Endpoint', 'Endpoint'].map(() => {
      const stack = testStack(undefined, 'A'.repeat(100));
      return referenceEndpoint(stack).endpoint.metricsEndpointName;
    });
    expect(names[0]).toEqual(names[1]);
    expect(names[0].length).toBeLessThanOrEqual(63);
    const stack = testStack();
    const { model } = hostingFixture(stack);
    const a = new Endpoint(stack, 'Scoring', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
    const b = new Endpoint(stack, 'Scoring-', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
    expect(a.metricsEndpointName).not.toEqual(b.metricsEndpointName);
  });

  test('an invalid endpointName is a synth error', () => {
    const stack = testStack();
    const { model } = hostingFixture(stack);
    expect(() => new Endpoint(stack, 'Endpoint', { endpointName: 'bad_name', variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] })).toThrow(
      /endpointName is "bad_name", but must be 1-63 letters, digits and hyphens/,
    );
  });
});

describe('alarm topic keys', () => {
  test('the default alarm topic gets its own key whose policy lets CloudWatch use it for this account\'s alarms only', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const alarms = new EndpointAlarms(stack, 'Alarms', { variant: endpoint.variant('AllTraffic') });
    const template = Template.fromStack(stack);
    const topicKey = (alarms.topic as sns.Topic).masterKey as kms.Key;
    const keyId = stack.getLogicalId(topicKey.node.defaultChild as kms.CfnKey);
    const statements = template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as Statement[];
    const cloudwatch = statements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' },
        },
      }),
    ]);
    // The alert key is for alerting only: no CloudWatch Logs statement.
    expect(statements.some((s) => String(s.Principal?.Service ?? '').startsWith('logs.'))).toBe(false);
  });

  test('a given key of the same stack gets the statement; an imported key gives a warning naming the statement', () => {
    const stack = testStack();
    const { endpoint, key } = referenceEndpoint(stack);
    new EndpointAlarms(stack, 'Alarms', { variant: endpoint.variant('AllTraffic'), encryptionKey: key });
    expect(keyStatements(Template.fromStack(stack)).some((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com' && s.Condition?.StringEquals?.['aws:SourceAccount'] !== undefined)).toBe(true);

    const other = testStack(undefined, 'Other');
    const { endpoint: e2 } = referenceEndpoint(other);
    const imported = kms.Key.fromKeyArn(other, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/abcd');
    new EndpointAlarms(other, 'Alarms', { variant: e2.variant('AllTraffic'), topic: new sns.Topic(other, 'T', { masterKey: imported, enforceSSL: true }) });
    Annotations.fromStack(other).hasWarning('/Other/Alarms', Match.stringLikeRegexp('cloudwatch.amazonaws.com cannot publish.*kms:Decrypt.*kms:GenerateDataKey\\*.*aws:SourceAccount'));
  });
});

describe('InferenceApi in a fresh account and its integration role', () => {
  test('sets the account CloudWatch role with our own role and a scoped customer-managed policy; the account depends on the role', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const api = new InferenceApi(stack, 'Api', { endpoint });
    const template = Template.fromStack(stack);
    const accounts = template.findResources('AWS::ApiGateway::Account');
    expect(Object.keys(accounts)).toHaveLength(1);
    const [accountId, account] = Object.entries(accounts)[0];
    const roleId = stack.getLogicalId(api.cloudWatchRole!.node.defaultChild as CfnElement);
    expect(account.Properties.CloudWatchRoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(account.DependsOn).toEqual(expect.arrayContaining([roleId, expect.stringMatching(/^InferenceApiCloudWatchAccountPolicy/)]));
    expect(account.DeletionPolicy).toBe('Retain');
    template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([accountId]) });
    template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] },
        ManagedPolicyArns: Match.absent(),
        Description: Match.stringLikeRegexp('account CloudWatch Logs role'),
      },
    });
    template.hasResource('AWS::IAM::ManagedPolicy', {
      DeletionPolicy: 'Retain',
      Properties: {
        Roles: [{ Ref: roleId }],
        PolicyDocument: {
          Statement: [
            { Action: 'logs:DescribeLogGroups', Effect: 'Allow', Resource: '*' },
            {
              Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
              Effect: 'Allow',
              // The access-log group and the stage's execution-log group.
              Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiExecutionLogs'), 'Arn'] }],
            },
          ],
        },
      },
    });
  });

  test('two APIs of a stack share one account setting whose role may write both access-log groups', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const a = new InferenceApi(stack, 'A', { endpoint });
    const b = new InferenceApi(stack, 'B', { endpoint });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    expect(a.cloudWatchRole).toBe(b.cloudWatchRole);
    const roleId = stack.getLogicalId(a.cloudWatchRole!.node.defaultChild as CfnElement);
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Resource: unknown }>);
    const resources = statements.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r));
    expect(resources).toEqual(
      expect.arrayContaining([JSON.stringify(stack.resolve(a.accessLogGroup.logGroupArn)), JSON.stringify(stack.resolve(b.accessLogGroup.logGroupArn))]),
    );
  });

  test('the stage logs execution errors (no bodies) to a KMS-encrypted log group with retention, created before the stage', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const api = new InferenceApi(stack, 'Api', { endpoint });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
    const logGroupId = stack.getLogicalId(api.executionLogGroup!.node.defaultChild as CfnElement);
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.stringLikeRegexp('^Api') }, '/prod']] },
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 365,
      },
    });
    template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([logGroupId]) });
  });

  test('manageAccountCloudWatchRole: false leaves the account setting and execution logging alone', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const api = new InferenceApi(stack, 'Api', { endpoint, manageAccountCloudWatchRole: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(api.executionLogGroup).toBeUndefined();
    template.hasResourceProperties('AWS::ApiGateway::Stage', { MethodSettings: [Match.objectLike({ LoggingLevel: Match.absent() })] });
  });

  test('the integration role trusts API Gateway (no source conditions API Gateway is not documented to send) and may only InvokeEndpoint on the endpoint', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const api = new InferenceApi(stack, 'Api', { endpoint });
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(api.integrationRole!.node.defaultChild as CfnElement);
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } }]);
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) => JSON.stringify(p.Properties.Roles ?? []).includes(roleId));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^Endpoint/) } }]);
  });
});

describe('volume key grants', () => {
  test('kms:CreateGrant on the endpoint volume key is only for AWS resources', () => {
    const stack = testStack();
    referenceEndpoint(stack);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Condition?: Record<string, Record<string, string>> }>,
    );
    const createGrant = statements.filter((s) => [s.Action].flat().includes('kms:CreateGrant'));
    expect(createGrant.length).toBeGreaterThan(0);
    for (const s of createGrant) expect(s.Condition?.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
  });
});
