import { Match, Template } from 'aws-cdk-lib/assertions';
import { ManagedPolicyRole, MlKey, SageMakerExecutionRole, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

function fullyGranted() {
  const app = testApp();
  const stack = testStack(app);
  const key = new MlKey(stack, 'Key');
  const bucket = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const role = new SageMakerExecutionRole(stack, 'Role');
  role.grantLogging();
  role.grantMetrics();
  role.grantVpcAccess();
  role.grantKeyUse(key);
  role.grantReadPrefix(bucket, 'train/');
  role.grantWritePrefix(bucket, 'model/');
  return { app, stack, role, bucket, key };
}

describe('SageMakerExecutionRole', () => {
  test('trust policy: SageMaker with confused-deputy conditions, and no managed AWS policies', () => {
    const { stack } = fullyGranted();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'sagemaker.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': Match.stringLikeRegexp('^arn:.*:sagemaker:us-east-1:123456789012:\\*$') },
            },
          },
        ],
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('iam::aws:policy');
  });

  test('statements go to customer-managed policies, never inline', () => {
    const { stack } = fullyGranted();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^Role') }] });
  });

  test('a new managed policy is started when one is full', () => {
    const stack = testStack();
    const role = new SageMakerExecutionRole(stack, 'Role');
    for (let i = 0; i <= ManagedPolicyRole.STATEMENTS_PER_POLICY; i++) {
      role.grantReadPrefix(new SecureBucket(stack, `Bucket${i}`), 'p/');
    }
    expect(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).not.toEqual({});
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).length).toBeGreaterThan(1);
  });

  test('logs only on /aws/sagemaker/ log groups; metrics only in SageMaker namespaces', () => {
    const { stack } = fullyGranted();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Sid: 'WriteSageMakerLogs',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            // One ARN: its final `*` matches the groups' streams too (IAM ARN wildcards).
            Resource: Match.stringLikeRegexp(':log-group:/aws/sagemaker/\\*$'),
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Sid: 'PublishSageMakerMetrics',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } },
          }),
        ],
      },
    });
  });

  test("the roles of a stack share one logs policy and one metrics policy, which each role's resource references", () => {
    const app = testApp();
    const stack = testStack(app);
    const other = testStack(app, 'OtherStack');
    const roles = [new SageMakerExecutionRole(stack, 'A'), new SageMakerExecutionRole(stack, 'B'), new SageMakerExecutionRole(other, 'C')];
    for (const role of roles) {
      role.grantLogging();
      role.grantMetrics();
    }
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const logs = Object.keys(policies).filter((id) => id.startsWith('SageMakerExecutionRoleLogs'));
    const metrics = Object.keys(policies).filter((id) => id.startsWith('SageMakerExecutionRoleMetrics'));
    expect([logs.length, metrics.length]).toEqual([1, 1]);
    // Attached by the roles (ManagedPolicyArns), so whatever depends on a role (a model, a job)
    // is created after both policies exist.
    for (const id of ['A', 'B']) {
      const [role] = Object.entries(template.findResources('AWS::IAM::Role')).filter(([logicalId]) => logicalId.startsWith(id));
      expect(role[1].Properties.ManagedPolicyArns).toEqual([{ Ref: logs[0] }, { Ref: metrics[0] }]);
    }
    // Only these two policies, no per-role policy: the roles were granted nothing else.
    expect(Object.keys(policies)).toHaveLength(2);
    // Each stack has its own.
    Template.fromStack(other).resourceCountIs('AWS::IAM::ManagedPolicy', 2);
  });

  test('a construct of another kind under the shared policy id of the stack is an error naming both paths', () => {
    const stack = testStack();
    new SecureBucket(stack, 'SageMakerExecutionRoleLogs');
    const role = new SageMakerExecutionRole(stack, 'Role');
    expect(() => role.grantLogging()).toThrow(
      /\[TestStack\/Role\] the stack's construct id "SageMakerExecutionRoleLogs" is taken by TestStack\/SageMakerExecutionRoleLogs, which is not the managed policy.*Rename the construct at TestStack\/SageMakerExecutionRoleLogs/,
    );
  });

  test('read and write are limited to the prefix, listing by an s3:prefix condition', () => {
    const { stack, bucket } = fullyGranted();
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement,
    );
    expect(statements).toContainEqual({
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Effect: 'Allow',
      Resource: stack.resolve(bucket.arnForObjects('train/*')),
    });
    expect(statements).toContainEqual({
      Action: 's3:ListBucket',
      Effect: 'Allow',
      Resource: stack.resolve(bucket.bucketArn),
      Condition: { StringLike: { 's3:prefix': ['train/*', 'train/'] } },
    });
    expect(statements).toContainEqual({
      Action: ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject'],
      Effect: 'Allow',
      Resource: stack.resolve(bucket.arnForObjects('model/*')),
    });
  });

  test('each grant is added once however often it is called', () => {
    const stack = testStack();
    const role = new SageMakerExecutionRole(stack, 'Role');
    role.grantLogging();
    role.grantLogging();
    role.grantMetrics();
    role.grantMetrics();
    const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
    const statements = Object.values(policies).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement,
    );
    expect(statements).toHaveLength(2);
  });

  test('confused-deputy conditions can be switched off', () => {
    const stack = testStack();
    new SageMakerExecutionRole(stack, 'Role', { confusedDeputyConditions: false });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.absent() })] },
    });
  });

  test('is clean under the three nag packs and the IAM check', () => {
    const { app, stack } = fullyGranted();
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
