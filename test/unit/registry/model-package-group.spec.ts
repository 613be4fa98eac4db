import { RemovalPolicy } from 'aws-cdk-lib';
import { CfnModelPackageGroup } from 'aws-cdk-lib/aws-sagemaker';
import { acknowledgeWildcardPermissions } from '../../../lib/testing';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { SageMakerExecutionRole } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

describe('ModelPackageGroup', () => {
  const app = testApp();
  const stack = testStack(app);
  const group = new ModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'loan-default', description: 'Loan default models' });
  const registrar = new SageMakerExecutionRole(stack, 'Registrar');
  const reader = new SageMakerExecutionRole(stack, 'Reader');
  const approver = new SageMakerExecutionRole(stack, 'Approver');
  group.grantRegister(registrar);
  group.grantRead(reader);
  group.grantApprove(approver);
  const template = Template.fromStack(stack);

  test('renders AWS::SageMaker::ModelPackageGroup, retained by default', () => {
    template.hasResource('AWS::SageMaker::ModelPackageGroup', {
      Properties: { ModelPackageGroupName: 'loan-default', ModelPackageGroupDescription: 'Loan default models' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const logicalId = stack.getLogicalId(group.node.defaultChild as CfnModelPackageGroup);
    expect(stack.resolve(group.modelPackageGroupArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'ModelPackageGroupArn'] });
    expect(group.modelPackageGroupRef.modelPackageGroupArn).toBe(group.modelPackageGroupArn);
  });

  test('grants are scoped to the group and its versions', () => {
    const versions = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/*';
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Registrar') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['sagemaker:CreateModelPackage']), Resource: Match.arrayWith([versions, Match.objectLike({ 'Fn::GetAtt': Match.anyValue() })]) }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Approver') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sagemaker:UpdateModelPackage', Resource: versions })]) },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages']) })]) },
    });
  });

  test('is clean under the nag packs and the IAM check', () => {
    acknowledgeWildcardPermissions(stack, [
      { pattern: ':model-package/loan-default/\\*$', reason: 'Model package versions are created by the registrar at run time (<group>/<version>); the wildcard is bounded to this group.' },
    ]);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});

describe('ModelPackageGroup names and imports', () => {
  test('generates a valid name from the construct path when none is given', () => {
    const stack = testStack();
    new ModelPackageGroup(stack, 'My_Registry', { removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::SageMaker::ModelPackageGroup', { Properties: { ModelPackageGroupName: 'TestStack-My-Registry' }, DeletionPolicy: 'Delete' });
  });

  test('rejects an invalid name, saying the rule', () => {
    const stack = testStack();
    expect(() => new ModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'bad_name' })).toThrow(
      /\[TestStack\/Registry\] modelPackageGroupName "bad_name" must be 1-63 letters, digits and hyphens/,
    );
  });

  test('imports by name with an ARN in the stack\'s account and region', () => {
    const stack = testStack();
    const imported = ModelPackageGroup.fromModelPackageGroupName(stack, 'Imported', 'shared-models');
    expect(imported.modelPackageGroupArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model-package-group/shared-models');
    const role = new SageMakerExecutionRole(stack, 'Role');
    imported.grantRead(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: Match.arrayWith(['arn:aws:sagemaker:us-east-1:123456789012:model-package-group/shared-models']) })]) },
    });
  });

  test('imports by ARN, taking the name from it', () => {
    const stack = testStack();
    const imported = ModelPackageGroup.fromModelPackageGroupArn(stack, 'ByArn', 'arn:aws:sagemaker:eu-west-1:210987654321:model-package-group/team-models');
    expect(imported.modelPackageGroupName).toBe('team-models');
    expect(imported.env).toEqual({ account: '210987654321', region: 'eu-west-1' });
  });
});
