import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import { ApprovedVersionParameter, ModelPackageGroup, ModelPackageResolver, ModelPackageVersion } from '../../../lib/constructs/registry';
import { MlNetwork, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { NETWORK_IAM_OPTIONS } from '../studio/fixtures';

const VERSION_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/3';

/** The managed policy statements of the resolver's handler role. */
function resolverStatements(template: Template): Array<{ Action: unknown; Resource: unknown }> {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ModelPackageResolverOnEventRole') }] } });
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement);
}

describe('ModelPackageVersion.fromArn', () => {
  test('the container renders ModelPackageName (in Containers, as the SageMaker SDK sends it), environment and no image', () => {
    const stack = testStack();
    new Model(stack, 'Model', { containers: [{ modelPackage: ModelPackageVersion.fromArn(VERSION_ARN), environment: { SAGEMAKER_CONTAINER_LOG_LEVEL: '20' } }] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::Model', {
      Containers: [{ ModelPackageName: VERSION_ARN, Environment: { SAGEMAKER_CONTAINER_LOG_LEVEL: '20' } }],
      PrimaryContainer: Match.absent(),
      InferenceExecutionConfig: Match.absent(),
    });
    // A fixed version needs no resolver.
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('a parameter value (a token) passes', () => {
    const stack = testStack();
    const arn = new CfnParameter(stack, 'Version', { type: 'String' }).valueAsString;
    new Model(stack, 'Model', { containers: [{ modelPackage: ModelPackageVersion.fromArn(arn) }] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', { Containers: [{ ModelPackageName: { Ref: 'Version' } }] });
  });

  test('an ARN that is not a version ARN fails with the fix', () => {
    expect(() => ModelPackageVersion.fromArn('arn:aws:sagemaker:us-east-1:123456789012:model-package-group/loan-default')).toThrow(
      'ModelPackageVersion.fromArn: "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/loan-default" is not a model package version ARN. ' +
        'Give the ARN of a registered version, such as arn:aws:sagemaker:us-east-1:123456789012:model-package/my-group/3 (the group name and the version number after it).',
    );
  });

  test('artifactsPrefix without artifactsBucket fails', () => {
    expect(() => ModelPackageVersion.fromArn(VERSION_ARN, { artifactsPrefix: 'models/' })).toThrow(
      'ModelPackageVersion.fromArn: artifactsPrefix "models/" needs artifactsBucket, the bucket the prefix is in; give both, or neither when the model\'s role can read the artifacts already.',
    );
  });

  test('grants the model role read of the artifacts prefix (and its key) and pull of the image named', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Artifacts');
    new Model(stack, 'Model', {
      containers: [{ modelPackage: ModelPackageVersion.fromArn(VERSION_ARN, { artifactsBucket: bucket, artifactsPrefix: 'models/', image: ContainerImage.xgboost('1.7-1') }) }],
    });
    const template = Template.fromStack(stack);
    for (const statement of [
      Match.objectLike({ Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Artifacts'), 'Arn'] }, '/models/*']] } }),
      Match.objectLike({ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: 'arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-xgboost' }),
      Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ArtifactsKey'), 'Arn'] } }),
    ]) {
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^ModelRole') }], PolicyDocument: { Statement: Match.arrayWith([statement]) } });
    }
  });
});

describe('ModelPackageVersion.latestApproved', () => {
  const app = testApp();
  const stack = testStack(app);
  const group = new ModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'loan-default' });
  const bucket = new SecureBucket(stack, 'Artifacts');
  new Model(stack, 'Model', { containers: [{ modelPackage: ModelPackageVersion.latestApproved(group, { artifactsBucket: bucket, artifactsPrefix: 'models/' }) }] });
  new Model(stack, 'Second', { containers: [{ modelPackage: ModelPackageVersion.latestApproved(group) }] });
  const template = Template.fromStack(stack);

  test('a custom resource resolves the version at deploy time; the model serves its ModelPackageArn', () => {
    template.hasResource('Custom::ModelPackageVersion', {
      Properties: { ModelPackageGroupName: 'loan-default', RequestedVersionArn: Match.absent() },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^Group')]),
    });
    const [id] = Object.keys(template.findResources('Custom::ModelPackageVersion', { Properties: { ServiceToken: Match.anyValue() } })).filter((k) => k.startsWith('Model'));
    template.hasResourceProperties('AWS::SageMaker::Model', { Containers: [{ ModelPackageName: { 'Fn::GetAtt': [id, 'ModelPackageArn'] } }] });
  });

  test('one resolver (one handler and one framework function) serves every model of the stack', () => {
    template.resourceCountIs('Custom::ModelPackageVersion', 2);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'resolve-version.onEvent',
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      KmsKeyArn: Match.anyValue(),
      VpcConfig: Match.absent(),
    });
    // No isComplete handler, so no waiter state machine.
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  test('the handler may list the group and describe its versions, and nothing else of SageMaker', () => {
    const statements = resolverStatements(template).filter((s) => JSON.stringify(s.Action).includes('sagemaker:'));
    expect(statements).toEqual([
      { Action: 'sagemaker:ListModelPackages', Effect: 'Allow', Resource: 'arn:aws:sagemaker:us-east-1:123456789012:model-package-group/loan-default' },
      { Action: 'sagemaker:DescribeModelPackage', Effect: 'Allow', Resource: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/*' },
    ]);
  });

  test('passes the nag packs and the IAM check with the defaults', () => {
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });

  test('a concrete requestedVersionArn that is not a version ARN fails', () => {
    const other = testStack();
    const g = ModelPackageGroup.fromModelPackageGroupName(other, 'G', 'loan-default');
    expect(() => new Model(other, 'Model', { containers: [{ modelPackage: ModelPackageVersion.latestApproved(g, { requestedVersionArn: 'loan-default/3' }) }] })).toThrow(
      '[TestStack/Model] ModelPackageVersion.latestApproved: requestedVersionArn "loan-default/3" is not a model package version ARN. ' +
        'Give the ARN of a version of group loan-default (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>), or leave it empty for the newest approved version.',
    );
  });
});

describe('in an MlNetwork', () => {
  test('the resolver runs in the model\'s VPC and passes the nag packs and the IAM check', () => {
    const app = testApp();
    const stack = testStack(app);
    const network = new MlNetwork(stack, 'Network');
    const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'Group', 'loan-default');
    new Model(stack, 'Model', {
      containers: [{ modelPackage: ModelPackageVersion.latestApproved(group) }],
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      securityGroups: [network.endpointsSecurityGroup],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'resolve-version.onEvent', VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() } });
    expectNagClean(app);
    expectLeastPrivilege(stack, NETWORK_IAM_OPTIONS);
  });

  test('a resolver created first takes the network\'s handlers security group', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    new ModelPackageResolver(stack, 'Resolver', { vpc: network.vpc, securityGroups: [network.handlersSecurityGroup] });
    const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'Group', 'loan-default');
    new Model(stack, 'Model', { containers: [{ modelPackage: ModelPackageVersion.latestApproved(group) }] });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'resolve-version.onEvent',
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkHandlersSecurityGroup'), 'GroupId'] }], SubnetIds: Match.anyValue() },
    });
    expect(ModelPackageResolver.of(stack).node.path).toBe('TestStack/Resolver');
  });
});

describe('ModelPackageResolver', () => {
  test('a second resolver in a stack fails', () => {
    const stack = testStack();
    ModelPackageResolver.of(stack);
    expect(() => new ModelPackageResolver(stack, 'Mine')).toThrow(
      '[TestStack/Mine] stack TestStack already has a ModelPackageResolver (TestStack/ModelPackageResolver); one resolver serves every model of a stack. ' +
        'Create yours before the models that use ModelPackageVersion.latestApproved (they create a default one otherwise), and only once.',
    );
  });

  test('vpcSubnets without vpc fails', () => {
    const stack = testStack();
    expect(() => new ModelPackageResolver(stack, 'Resolver', { vpcSubnets: {} })).toThrow('[TestStack/Resolver] vpcSubnets and securityGroups need vpc; pass the VPC (for example network.vpc) too.');
  });
});

describe('ApprovedVersionParameter', () => {
  test('a stack parameter (default empty, version ARN pattern) feeds the resolver\'s requested version', () => {
    const app = testApp();
    const stack = testStack(app);
    const group = new ModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'loan-default' });
    const selected = new ApprovedVersionParameter(stack, 'ModelVersion', group);
    new Model(stack, 'Model', { containers: [{ modelPackage: selected.version }] });
    expect(selected.parameterName).toBe('ModelVersion');
    const template = Template.fromStack(stack);
    template.hasParameter('ModelVersion', { Type: 'String', Default: '', AllowedPattern: Match.stringLikeRegexp('model-package') });
    template.hasResourceProperties('Custom::ModelPackageVersion', { ModelPackageGroupName: 'loan-default', RequestedVersionArn: { Ref: 'ModelVersion' } });
    const pattern = new RegExp(template.toJSON().Parameters.ModelVersion.AllowedPattern as string);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test(VERSION_ARN)).toBe(true);
    expect(pattern.test('arn:aws:sagemaker:us-east-1:123456789012:model-package-group/loan-default')).toBe(false);
    expectNagClean(app);
  });

  test('a parameter name that CloudFormation refuses fails', () => {
    const stack = testStack();
    const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'Group', 'loan-default');
    expect(() => new ApprovedVersionParameter(stack, 'Version', group, { parameterName: 'model-version' })).toThrow(
      '[TestStack/Version] parameterName "model-version" is not a CloudFormation parameter name: use 1 to 255 letters and digits (for example ModelVersionArn).',
    );
  });

  test('a given parameter name is the logical id', () => {
    const stack = testStack();
    const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'Group', 'loan-default');
    const selected = new ApprovedVersionParameter(stack, 'Version', group, { parameterName: 'ScoringModelVersionArn' });
    expect(Stack.of(selected).resolve(selected.parameter.logicalId)).toBe('ScoringModelVersionArn');
    expect(selected.parameterName).toBe('ScoringModelVersionArn');
  });
});
