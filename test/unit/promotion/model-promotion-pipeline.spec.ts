import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Duration, Stack, aws_iam as iam, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Endpoint } from '../../../lib/constructs/hosting';
import { ModelPromotionPipeline, ModelPromotionPipelineProps, PromotionTarget } from '../../../lib/constructs/promotion';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { MlKey } from '../../../lib/constructs/security';
import { envAgnosticStack, expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { FakeAws, SCRIPTS } from './fake-aws';

type Json = Record<string, any>;

const STAGING: PromotionTarget = { stackName: 'ChurnStaging', parameterName: 'ModelPackageVersionArn' };
const PRODUCTION: PromotionTarget = { stackName: 'ChurnProduction', parameterName: 'ModelPackageVersionArn' };

function promotion(stack: Stack, props: Partial<ModelPromotionPipelineProps> = {}, id = 'Promotion'): ModelPromotionPipeline {
  const group = (stack.node.tryFindChild('Group') as ModelPackageGroup | undefined) ?? new ModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'churn' });
  return new ModelPromotionPipeline(stack, id, { modelPackageGroup: group, staging: STAGING, production: PRODUCTION, ...props });
}

function withSmokeTests(stack: Stack): Partial<ModelPromotionPipelineProps> {
  return {
    staging: {
      ...STAGING,
      smokeTest: {
        endpoint: Endpoint.fromEndpointName(stack, 'StagingEndpoint', 'churn-staging'),
        body: '42,0.5',
        contentType: 'text/csv',
        accept: 'application/json',
        expectedResponsePattern: '^\\{"score": [0-9.]+\\}',
      },
    },
    production: { ...PRODUCTION, smokeTest: { endpoint: Endpoint.fromEndpointName(stack, 'ProductionEndpoint', 'churn-production'), body: '42,0.5', contentType: 'text/csv' } },
  };
}

function pipelineStages(stack: Stack): Json[] {
  const pipelines = Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline');
  return (Object.values(pipelines)[0] as Json).Properties.Stages as Json[];
}

function actionEnvironment(action: Json): Record<string, string> {
  const variables = JSON.parse(action.Configuration.EnvironmentVariables as string) as Array<{ name: string; value: string }>;
  return Object.fromEntries(variables.map((v) => [v.name, v.value]));
}

/** Every identity-policy statement of the managed policies whose logical id starts with `prefix`. */
function statementsOf(stack: Stack, prefix: string): Json[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.entries(policies)
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, policy]) => (policy as Json).Properties.PolicyDocument.Statement as Json[]);
}

function statementWith(statements: Json[], action: string): Json | undefined {
  return statements.find((s) => ([] as string[]).concat(s.Action as string | string[]).includes(action));
}

describe('ModelPromotionPipeline: pipeline', () => {
  test('a V2 pipeline in QUEUED mode with Source, Staging, Approval and Production stages, actions in order', () => {
    const stack = testStack();
    promotion(stack, withSmokeTests(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::Pipeline', { PipelineType: 'V2', ExecutionMode: 'QUEUED' });
    const stages = pipelineStages(stack);
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Staging', 'Approval', 'Production']);
    expect(stages.map((s) => (s.Actions as Json[]).map((a) => [a.Name, a.ActionTypeId.Provider, a.RunOrder]))).toEqual([
      [['Scripts', 'S3', 1]],
      [
        ['Deploy', 'CodeBuild', 1],
        ['SmokeTest', 'CodeBuild', 2],
      ],
      [['Approve', 'Manual', 1]],
      [
        ['Deploy', 'CodeBuild', 1],
        ['SmokeTest', 'CodeBuild', 2],
      ],
    ]);
    // Actions run with the pipeline's role (no per-action roles).
    expect(stages.flatMap((s) => s.Actions as Json[]).every((a) => a.RoleArn === undefined)).toBe(true);
  });

  test('the source is the scripts asset, never polled: only the approval rule starts the pipeline', () => {
    const stack = testStack();
    promotion(stack);
    const [source] = pipelineStages(stack)[0].Actions as Json[];
    expect(source.Configuration).toEqual({ S3Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', S3ObjectKey: expect.stringMatching(/\.zip$/), PollForSourceChanges: false });
  });

  test('without manual approval, production follows staging directly; without smoke tests each stage has one action', () => {
    const stack = testStack();
    promotion(stack, { manualApproval: false });
    const stages = pipelineStages(stack);
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Staging', 'Production']);
    expect(stages.map((s) => (s.Actions as Json[]).length)).toEqual([1, 1, 1]);
  });

  test('artifacts are stored in the construct\'s KMS-encrypted secure bucket', () => {
    const stack = testStack();
    promotion(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      ArtifactStore: { Type: 'S3', Location: { Ref: Match.stringLikeRegexp('^PromotionArtifacts') }, EncryptionKey: { Type: 'KMS', Id: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromotionKey'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromotionKey'), 'Arn'] } } }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });
});

describe('ModelPromotionPipeline: actions and builds', () => {
  test('each deploy action names its stage, stack and parameter; production gets the version staging exported', () => {
    const stack = testStack();
    promotion(stack);
    const stages = pipelineStages(stack);
    const stagingDeploy = (stages[1].Actions as Json[])[0];
    const productionDeploy = (stages[3].Actions as Json[])[0];
    expect(stagingDeploy.Namespace).toBe('StagingDeploy');
    expect(actionEnvironment(stagingDeploy)).toEqual({ PROMOTION_STAGE: 'staging', STACK_NAME: 'ChurnStaging', PARAMETER_NAME: 'ModelPackageVersionArn' });
    expect(actionEnvironment(productionDeploy)).toEqual({
      PROMOTION_STAGE: 'production',
      STACK_NAME: 'ChurnProduction',
      PARAMETER_NAME: 'ModelPackageVersionArn',
      MODEL_PACKAGE_ARN: '#{StagingDeploy.MODEL_PACKAGE_ARN}',
    });
    // Both stages run the same deploy project.
    expect(stagingDeploy.Configuration.ProjectName).toEqual(productionDeploy.Configuration.ProjectName);
  });

  test('the approval request names the version staging deployed and goes to the topic', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Topic', { masterKey: new MlKey(stack, 'TopicKey'), enforceSSL: true });
    promotion(stack, { notificationTopic: topic });
    const [approve] = pipelineStages(stack)[2].Actions as Json[];
    expect(approve.Configuration).toEqual({
      NotificationArn: { Ref: expect.stringMatching(/^Topic/) },
      CustomData: 'Deploy model package version #{StagingDeploy.MODEL_PACKAGE_ARN} to stack ChurnProduction? It runs in stack ChurnStaging.',
    });
  });

  test('builds run on aws/codebuild/standard:7.0, unprivileged, KMS-encrypted, logging to the encrypted log group; deploys time out after 2 hours', () => {
    const stack = testStack();
    promotion(stack, withSmokeTests(stack));
    const template = Template.fromStack(stack);
    const projects = Object.values(template.findResources('AWS::CodeBuild::Project')) as Json[];
    expect(projects).toHaveLength(3);
    for (const project of projects) {
      expect(project.Properties.Environment).toMatchObject({ Image: 'aws/codebuild/standard:7.0', PrivilegedMode: false, Type: 'LINUX_CONTAINER' });
      expect(project.Properties.EncryptionKey).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PromotionKey/), 'Arn'] });
      expect(project.Properties.LogsConfig.CloudWatchLogs).toMatchObject({ Status: 'ENABLED', GroupName: { Ref: expect.stringMatching(/^PromotionBuildLogs/) } });
    }
    template.hasResourceProperties('AWS::CodeBuild::Project', { TimeoutInMinutes: 120, Environment: { EnvironmentVariables: [{ Name: 'MODEL_PACKAGE_GROUP_NAME', Value: 'churn' }] } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromotionKey'), 'Arn'] }, RetentionInDays: 365 });
  });

  test('the smoke test project carries the request, the expected pattern and the endpoint', () => {
    const stack = testStack();
    promotion(stack, withSmokeTests(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: {
        EnvironmentVariables: [
          { Name: 'ENDPOINT_NAME', Value: 'churn-staging' },
          { Name: 'SMOKE_TEST_BODY', Value: '42,0.5' },
          { Name: 'SMOKE_TEST_CONTENT_TYPE', Value: 'text/csv' },
          { Name: 'SMOKE_TEST_ACCEPT', Value: 'application/json' },
          { Name: 'SMOKE_TEST_PATTERN', Value: '^\\{"score": [0-9.]+\\}' },
        ],
      },
    });
  });

  test('the deploy buildspec exports the version the scripts resolved (run against a fake AWS CLI)', () => {
    const stack = testStack();
    const construct = promotion(stack);
    const buildSpec = JSON.parse(stack.resolve((construct.deployProject.node.defaultChild as Json).source).buildSpec as string) as Json;
    expect(buildSpec.env).toEqual({ shell: 'bash', 'exported-variables': ['MODEL_PACKAGE_ARN'] });
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/7';
    const aws = new FakeAws()
      .answer('sagemaker.list-model-packages', { out: `${arn}\n` })
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_COMPLETE\tarn:aws:iam::123456789012:role/cfn-exec\n' }, 1)
      .answer('cloudformation.describe-stacks', { out: 'ModelPackageVersionArn\n' }, 2)
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_COMPLETE\n' }, 3);
    // CodeBuild (buildspec 0.2) runs the commands of a phase in one shell and fails on the first error.
    const commands = ['set -e', ...(buildSpec.phases.build.commands as string[]), 'echo "exported=$MODEL_PACKAGE_ARN"'].join('\n');
    const run = aws.runCommand(commands, { CODEBUILD_SRC_DIR: SCRIPTS, MODEL_PACKAGE_GROUP_NAME: 'churn', PROMOTION_STAGE: 'staging', STACK_NAME: 'ChurnStaging', PARAMETER_NAME: 'ModelPackageVersionArn' });
    expect(run.stderr).toContain('is UPDATE_COMPLETE');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`exported=${arn}\n`);
  });

  test('the scripts asset holds the three scripts', () => {
    const app = testApp();
    const stack = testStack(app);
    promotion(stack);
    const assembly = app.synth();
    const assetDirs = fs.readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    const scriptDir = assetDirs.map((d) => path.join(assembly.directory, d)).find((d) => fs.existsSync(path.join(d, 'update-stack-parameter.sh')));
    expect(scriptDir).toBeDefined();
    expect(fs.readdirSync(scriptDir!).sort()).toEqual(['resolve-model-version.sh', 'smoke-test.sh', 'update-stack-parameter.sh']);
  });
});

describe('ModelPromotionPipeline: events', () => {
  test('an Approved version of the group starts the pipeline through a role that may only start it', () => {
    const stack = testStack();
    promotion(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['churn'], ModelApprovalStatus: ['Approved'] },
      },
      Targets: [
        {
          Arn: { 'Fn::Join': ['', ['arn:aws:codepipeline:us-east-1:123456789012:', { Ref: Match.stringLikeRegexp('^PromotionPipeline') }]] },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromotionStartRole'), 'Arn'] },
        },
      ],
    });
    expect(statementsOf(stack, 'PromotionStartRole')).toEqual([
      { Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: { 'Fn::Join': ['', ['arn:aws:codepipeline:us-east-1:123456789012:', { Ref: expect.stringMatching(/^PromotionPipeline/) }]] } },
    ]);
    // Without a topic there is nothing to notify.
    expect(Object.keys(template.findResources('AWS::Events::Rule'))).toHaveLength(1);
  });

  test('with a topic, rejected versions and failed executions are published by rules only they may use', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Topic', { masterKey: new MlKey(stack, 'TopicKey'), enforceSSL: true });
    promotion(stack, { notificationTopic: topic });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.sagemaker'], 'detail-type': ['SageMaker Model Package State Change'], detail: { ModelPackageGroupName: ['churn'], ModelApprovalStatus: ['Rejected'] } },
      Targets: [{ Arn: { Ref: Match.stringLikeRegexp('^Topic') } }],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codepipeline'],
        'detail-type': ['CodePipeline Pipeline Execution State Change'],
        detail: { pipeline: [{ Ref: Match.stringLikeRegexp('^PromotionPipeline') }], state: ['FAILED'] },
      },
      Targets: [{ Arn: { Ref: Match.stringLikeRegexp('^Topic') } }],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromotionRejectedRule'), 'Arn'] } } } }),
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromotionFailedRule'), 'Arn'] } } } }),
        ]),
      },
    });
    // The pipeline (approval requests) may publish and use the topic's key.
    expect(statementWith(statementsOf(stack, 'PromotionPipelineRole'), 'sns:Publish')).toEqual({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^Topic/) } });
  });
});

describe('ModelPromotionPipeline: permissions', () => {
  test('the deploy role lists and describes the group\'s versions and describes and updates exactly the two stacks', () => {
    const stack = testStack();
    promotion(stack);
    const statements = statementsOf(stack, 'PromotionDeployRole');
    expect(statementWith(statements, 'cloudformation:UpdateStack')).toEqual({
      Effect: 'Allow',
      Action: ['cloudformation:DescribeStackEvents', 'cloudformation:DescribeStacks', 'cloudformation:UpdateStack'],
      Resource: ['arn:aws:cloudformation:us-east-1:123456789012:stack/ChurnProduction/*', 'arn:aws:cloudformation:us-east-1:123456789012:stack/ChurnStaging/*'],
    });
    const list = statementWith(statements, 'sagemaker:ListModelPackages')!;
    expect(list.Action).toEqual(expect.arrayContaining(['sagemaker:ListModelPackages', 'sagemaker:DescribeModelPackage']));
    expect(list.Resource).toEqual(['arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/*', { 'Fn::GetAtt': [expect.stringMatching(/^Group/), 'ModelPackageGroupArn'] }]);
    expect(statementWith(statements, 'ssm:GetParameters')).toEqual({
      Effect: 'Allow',
      Action: 'ssm:GetParameters',
      Resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/cdk-bootstrap/hnb659fds/version',
    });
    // No role is passed: CloudFormation uses the stacks' own service roles.
    expect(statementWith(statements, 'iam:PassRole')).toBeUndefined();
    expect(statements.flatMap((s) => [].concat(s.Resource)).filter((r) => r === '*')).toEqual([]);
  });

  test('a cloudFormationRole is passed on by the deploy builds, which may pass exactly it to CloudFormation', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'CfnRole', 'arn:aws:iam::123456789012:role/PromotionCfn');
    promotion(stack, { cloudFormationRole: role });
    expect(statementWith(statementsOf(stack, 'PromotionDeployRole'), 'iam:PassRole')).toEqual({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::123456789012:role/PromotionCfn',
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: { EnvironmentVariables: Match.arrayWith([{ Name: 'CLOUDFORMATION_ROLE_ARN', Type: 'PLAINTEXT', Value: 'arn:aws:iam::123456789012:role/PromotionCfn' }]) },
    });
  });

  test('a smoke test may invoke only its endpoint', () => {
    const stack = testStack();
    promotion(stack, withSmokeTests(stack));
    const staging = statementsOf(stack, 'PromotionStagingSmokeTestRole');
    expect(statementWith(staging, 'sagemaker:InvokeEndpoint')).toEqual({ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-staging' });
    expect(staging.flatMap((s) => [].concat(s.Action)).filter((a: string) => a.startsWith('sagemaker:'))).toEqual(['sagemaker:InvokeEndpoint']);
    expect(statementWith(statementsOf(stack, 'PromotionProductionSmokeTestRole'), 'sagemaker:InvokeEndpoint')!.Resource).toBe('arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-production');
  });

  test('every role is assumed only by its service, with customer-managed policies', () => {
    const stack = testStack();
    promotion(stack, withSmokeTests(stack));
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    const services = Object.values(roles).map((r) => (r as Json).Properties.AssumeRolePolicyDocument.Statement[0]);
    expect(services.map((s) => s.Principal.Service).sort()).toEqual(['codebuild.amazonaws.com', 'codebuild.amazonaws.com', 'codebuild.amazonaws.com', 'codepipeline.amazonaws.com', 'events.amazonaws.com']);
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('least privilege and zero cdk-nag findings (AwsSolutions, HIPAA Security, NIST 800-53 R5) for the default use', () => {
    const app = testApp();
    const stack = testStack(app);
    promotion(stack);
    expectLeastPrivilege(stack);
    expectNagClean(app);
  });

  test('least privilege and zero findings with smoke tests, a notification topic and a CloudFormation role', () => {
    const app = testApp();
    const stack = testStack(app);
    const topic = new sns.Topic(stack, 'Topic', { masterKey: new MlKey(stack, 'TopicKey'), enforceSSL: true });
    promotion(stack, { ...withSmokeTests(stack), notificationTopic: topic, cloudFormationRole: iam.Role.fromRoleArn(stack, 'CfnRole', 'arn:aws:iam::123456789012:role/PromotionCfn') });
    expectLeastPrivilege(stack);
    expectNagClean(app);
  });
});

test('an env-agnostic stack synthesizes with zero findings as well', () => {
  const app = testApp();
  const stack = envAgnosticStack(app);
  promotion(stack, withSmokeTests(stack));
  expectLeastPrivilege(stack);
  expectNagClean(app);
});

describe('ModelPromotionPipeline: validation', () => {
  function expectProblem(props: (stack: Stack) => Partial<ModelPromotionPipelineProps>, message: string): void {
    const stack = testStack();
    expect(() => promotion(stack, props(stack), 'Bad')).toThrow(`[TestStack/Bad] ${message}`);
  }

  test('staging and production must be different stacks', () => {
    expectProblem(
      () => ({ production: { ...PRODUCTION, stackName: 'ChurnStaging' } }),
      'staging.stackName and production.stackName are both "ChurnStaging": staging must be a different stack, or the human approval would gate a version that is already in production. Name two stacks.',
    );
  });

  test('a stack name must be a CloudFormation stack name', () => {
    expectProblem(
      () => ({ staging: { ...STAGING, stackName: 'arn:aws:cloudformation:us-east-1:123456789012:stack/ChurnStaging/1' } }),
      'staging.stackName "arn:aws:cloudformation:us-east-1:123456789012:stack/ChurnStaging/1" is not a CloudFormation stack name: it must start with a letter and have 1-128 letters, digits and hyphens. Give the name of the deployed stack (not its ARN).',
    );
  });

  test('an empty stack name is refused', () => {
    expectProblem(
      () => ({ production: { ...PRODUCTION, stackName: '' } }),
      'production.stackName "" is not a CloudFormation stack name: it must start with a letter and have 1-128 letters, digits and hyphens. Give the name of the deployed stack (not its ARN).',
    );
  });

  test('a parameter name must be a CloudFormation parameter name', () => {
    expectProblem(
      () => ({ production: { ...PRODUCTION, parameterName: 'Model-Package' } }),
      'production.parameterName "Model-Package" is not a CloudFormation parameter name: it must have 1-255 letters and digits. Give the name of the stack parameter that holds the model package version ARN.',
    );
  });

  test('a smoke test pattern must be a valid regular expression', () => {
    expectProblem(
      (stack) => ({ staging: { ...STAGING, smokeTest: { endpoint: Endpoint.fromEndpointName(stack, 'E', 'churn-staging'), body: '1', contentType: 'text/csv', expectedResponsePattern: '([0-9]+' } } }),
      'staging.smokeTest.expectedResponsePattern "([0-9]+" is not a valid regular expression (Invalid regular expression: /([0-9]+/: Unterminated group). Fix the expression, or leave it unset to accept any response.',
    );
  });

  test('a smoke test needs a body', () => {
    expectProblem(
      (stack) => ({ staging: { ...STAGING, smokeTest: { endpoint: Endpoint.fromEndpointName(stack, 'E', 'churn-staging'), body: '', contentType: 'text/csv' } } }),
      'staging.smokeTest.body is empty: give a request the model answers, for example one CSV row or JSON document.',
    );
  });

  test('a smoke test needs a content type', () => {
    expectProblem(
      (stack) => ({ production: { ...PRODUCTION, smokeTest: { endpoint: Endpoint.fromEndpointName(stack, 'E', 'churn-production'), body: '1', contentType: ' ' } } }),
      'production.smokeTest.contentType is empty: InvokeEndpoint needs the body\'s Content-Type, for example "text/csv" or "application/json".',
    );
  });

  test('the deploy timeout must be a CodeBuild timeout', () => {
    expectProblem(
      () => ({ deployTimeout: Duration.hours(9) }),
      "deployTimeout is 9 hours (540 minutes), but CodeBuild build timeouts are whole minutes from 5 minutes to 8 hours (480 minutes). Give a timeout that covers the stack update with the endpoint's canary wait and bake times.",
    );
  });

  test('the pipeline name must be a CodePipeline name', () => {
    expectProblem(() => ({ pipelineName: 'churn promotion' }), 'pipelineName "churn promotion" must have 1-100 letters, digits, ".", "@", "-" and "_".');
  });

  test('several problems are reported together', () => {
    const stack = testStack();
    expect(() => promotion(stack, { production: { stackName: 'ChurnStaging', parameterName: 'x y' } }, 'Bad')).toThrow(/\[TestStack\/Bad\] 2 problems:\n {2}- production\.parameterName "x y"[^\n]*\n {2}- staging\.stackName and production\.stackName are both "ChurnStaging"/);
  });

  test('unresolved tokens pass untouched', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'StagingStack').valueAsString;
    expect(() => promotion(stack, { staging: { stackName: name, parameterName: 'ModelPackageVersionArn' } })).not.toThrow();
  });
});
