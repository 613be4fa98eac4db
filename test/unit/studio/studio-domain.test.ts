import { Duration, Lazy, Size, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  InstanceType,
  MlNetwork,
  SecureBucket,
  SpaceSharing,
  StudioAppType,
  StudioAuthMode,
  StudioDomain,
  StudioDomainProps,
  StudioLifecycleConfig,
} from '../../../lib';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { NETWORK_IAM_OPTIONS } from './fixtures';

describe('StudioDomain (reference: IAM auth, VPC only, notebook sharing allowed)', () => {
  const app = testApp();
  const stack = testStack(app);
  const network = new MlNetwork(stack, 'Network');
  const bucket = new SecureBucket(stack, 'Sharing');
  const lifecycle = new StudioLifecycleConfig(stack, 'Setup', { appType: StudioAppType.JUPYTER_LAB, script: 'echo hello' });
  const domain = new StudioDomain(stack, 'Studio', { network, notebookSharing: { bucket }, lifecycleConfigs: [lifecycle] });
  const alice = domain.addUserProfile('Alice', { userProfileName: 'alice' });
  const bob = domain.addUserProfile('Bob', { ownExecutionRole: true });
  domain.addSpace('Shared', { owner: alice, sharing: SpaceSharing.SHARED, volumeSize: Size.gibibytes(20) });
  const template = Template.fromStack(stack);

  test('domain is VPC-only, IAM, KMS, idle shutdown at 60 minutes, sharing with KMS', () => {
    template.hasResourceProperties('AWS::SageMaker::Domain', {
      AuthMode: 'IAM',
      AppNetworkAccessType: 'VpcOnly',
      VpcId: stack.resolve(network.vpc.vpcId),
      SubnetIds: stack.resolve(network.subnetIds),
      KmsKeyId: Match.anyValue(),
      DefaultUserSettings: Match.objectLike({
        ExecutionRole: stack.resolve(domain.defaultExecutionRole.roleArn),
        SecurityGroups: [stack.resolve(network.developmentSecurityGroup.securityGroupId)],
        SharingSettings: { NotebookOutputOption: 'Allowed', S3OutputPath: Match.anyValue(), S3KmsKeyId: stack.resolve(bucket.encryptionKey!.keyArn) },
        JupyterLabAppSettings: Match.objectLike({
          AppLifecycleManagement: { IdleSettings: { LifecycleManagement: 'ENABLED', IdleTimeoutInMinutes: 60, MinIdleTimeoutInMinutes: 60, MaxIdleTimeoutInMinutes: 60 } },
          LifecycleConfigArns: [stack.resolve(lifecycle.studioLifecycleConfigArn)],
        }),
        CodeEditorAppSettings: Match.objectLike({ AppLifecycleManagement: Match.anyValue() }),
      }),
      DefaultSpaceSettings: Match.objectLike({ ExecutionRole: Match.anyValue(), SecurityGroups: Match.anyValue() }),
    });
  });

  test('the teardown handlers run in the network\'s handlers security group, not the Studio apps\' group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.VpcConfig);
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([stack.resolve(network.handlersSecurityGroup.securityGroupId)]);
    }
  });

  test('user profiles: default role and per-user role', () => {
    template.hasResourceProperties('AWS::SageMaker::UserProfile', { UserProfileName: 'alice', UserSettings: Match.absent() });
    template.hasResourceProperties('AWS::SageMaker::UserProfile', {
      UserProfileName: Match.stringLikeRegexp('Bob'),
      UserSettings: { ExecutionRole: stack.resolve(bob.executionRole.roleArn) },
    });
  });

  test('execution roles (the default and a user\'s own) may manage apps and spaces of this domain only; List* on "*"', () => {
    const domainId = stack.resolve(domain.domainId);
    const arn = (type: string) => ({ 'Fn::Join': ['', [`arn:aws:sagemaker:us-east-1:123456789012:${type}/`, domainId, '/*']] });
    for (const role of [domain.defaultExecutionRole, bob.executionRole]) {
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [stack.resolve(role.roleName)],
        PolicyDocument: {
          Statement: [
            { Sid: 'ManageStudioApps', Effect: 'Allow', Action: ['sagemaker:AddTags', 'sagemaker:CreateApp', 'sagemaker:DeleteApp', 'sagemaker:DescribeApp'], Resource: arn('app') },
            {
              Sid: 'ManageStudioSpaces',
              Effect: 'Allow',
              Action: ['sagemaker:AddTags', 'sagemaker:CreateSpace', 'sagemaker:DeleteSpace', 'sagemaker:DescribeSpace', 'sagemaker:UpdateSpace'],
              Resource: arn('space'),
            },
            { Sid: 'ListStudioAppsAndSpaces', Effect: 'Allow', Action: ['sagemaker:ListApps', 'sagemaker:ListSpaces'], Resource: '*' },
          ],
        },
      });
    }
  });

  test('a user with an own role writes only to users/<profile name>/; on the shared role the grant is refused', () => {
    const other = testStack(testApp(), 'Prefix');
    const net = new MlNetwork(other, 'Network');
    const data = new SecureBucket(other, 'Data');
    const d = new StudioDomain(other, 'Studio', { network: net, teardownApps: false });
    const own = d.addUserProfile('Carol', { userProfileName: 'carol', ownExecutionRole: true });
    own.grantReadWriteOwnPrefix(data);
    const t = Template.fromStack(other);
    const statements = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([other.resolve(own.executionRole.roleName)]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const puts = statements.filter((st) => [st.Action].flat().includes('s3:PutObject'));
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0].Resource)).toContain('/users/carol/*');
    const shared = d.addUserProfile('Dan', { userProfileName: 'dan' });
    expect(() => shared.grantReadWriteOwnPrefix(data)).toThrow(/\[Prefix\/Studio\/Dan\] grantReadWriteOwnPrefix needs a role of this user alone.*set ownExecutionRole: true/);
  });

  test('space is owned, shared and sized', () => {
    template.hasResourceProperties('AWS::SageMaker::Space', {
      OwnershipSettings: { OwnerUserProfileName: 'alice' },
      SpaceSharingSettings: { SharingType: 'Shared' },
      SpaceSettings: {
        AppType: 'JupyterLab',
        SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 20 } },
      },
    });
  });

  test('one teardown resource per profile and space, each deleted before what it empties', () => {
    const profiles = template.findResources('Custom::StudioUserProfileTeardown');
    const spaces = template.findResources('Custom::StudioSpaceTeardown');
    expect(Object.keys(profiles)).toHaveLength(2);
    expect(Object.keys(spaces)).toHaveLength(1);
    const aliceId = stack.getLogicalId(alice.node.defaultChild as never);
    const aliceTeardown = Object.entries(profiles).find(([, r]) => r.Properties.UserProfileName === 'alice')!;
    expect(aliceTeardown[1].DependsOn).toContain(aliceId);
    // The space is deleted before the owner's teardown runs.
    const space = Object.values(template.findResources('AWS::SageMaker::Space'))[0];
    expect(space.DependsOn).toContain(aliceTeardown[0]);
    // Our onEvent and isComplete, the framework's onEvent, isComplete and onTimeout, and the VPC's default-SG restriction.
    template.resourceCountIs('AWS::Lambda::Function', 6);
  });

  test('teardown handlers run in the VPC with scoped permissions', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'teardown.onEvent',
      Runtime: 'nodejs24.x',
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      KmsKeyArn: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['sagemaker:DeleteApp', 'sagemaker:DescribeApp'],
            Resource: { 'Fn::Join': ['', ['arn:aws:sagemaker:us-east-1:123456789012:app/', { 'Fn::GetAtt': [stack.getLogicalId(domain.node.defaultChild as never), 'DomainId'] }, '/*']] },
          }),
        ]),
      },
    });
  });

  test('grantCreatePresignedDomainUrl scopes to the profile', () => {
    const other = testStack(testApp(), 'Other');
    const net = new MlNetwork(other, 'Network');
    const d = new StudioDomain(other, 'Studio', { network: net, teardownApps: false });
    const p = d.addUserProfile('P');
    const user = new iam.Role(other, 'User', { assumedBy: new iam.AccountRootPrincipal() });
    p.grantCreatePresignedDomainUrl(user);
    const t = Template.fromStack(other);
    t.resourceCountIs('AWS::Lambda::Function', 1); // only aws-cdk-lib's default-SG restriction
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'sagemaker:CreatePresignedDomainUrl', Resource: other.resolve(p.userProfileArn) })] },
    });
    t.hasResourceProperties('AWS::SageMaker::Domain', { DefaultUserSettings: Match.objectLike({ SharingSettings: { NotebookOutputOption: 'Disabled' } }) });
  });

  test('passes the nag packs and the IAM check', () => {
    expectNagClean(app);
    expectLeastPrivilege(stack, NETWORK_IAM_OPTIONS);
  });
});

describe('StudioDomain options', () => {
  test('IAM Identity Center profiles name their user', () => {
    const stack = testStack();
    const domain = new StudioDomain(stack, 'Studio', { network: new MlNetwork(stack, 'Network'), authMode: StudioAuthMode.IAM_IDENTITY_CENTER, teardownApps: false });
    domain.addUserProfile('Alice', { singleSignOnUserName: 'alice@example.com' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::Domain', { AuthMode: 'SSO' });
    template.hasResourceProperties('AWS::SageMaker::UserProfile', { SingleSignOnUserIdentifier: 'UserName', SingleSignOnUserValue: 'alice@example.com' });
  });

  test('unresolved tokens pass through', () => {
    const stack = testStack();
    const name = Lazy.string({ produce: () => 'not valid!' });
    const domain = new StudioDomain(stack, 'Studio', { network: new MlNetwork(stack, 'Network'), domainName: name, teardownApps: false });
    expect(() => domain.addUserProfile('P', { userProfileName: Lazy.string({ produce: () => 'x_y' }) })).not.toThrow();
  });

  test('fromDomainId', () => {
    const stack = testStack();
    expect(StudioDomain.fromDomainId(stack, 'D', 'd-abc').domainArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:domain/d-abc');
  });

  test('a changed lifecycle script gets a new name', () => {
    const stack = testStack();
    const a = new StudioLifecycleConfig(stack, 'A', { appType: StudioAppType.CODE_EDITOR, script: 'echo 1' });
    const names = () => Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::StudioLifecycleConfig')).map((r) => r.Properties.StudioLifecycleConfigName);
    const stack2 = testStack(testApp());
    new StudioLifecycleConfig(stack2, 'A', { appType: StudioAppType.CODE_EDITOR, script: 'echo 2' });
    const other = Object.values(Template.fromStack(stack2).findResources('AWS::SageMaker::StudioLifecycleConfig'))[0].Properties.StudioLifecycleConfigName;
    expect(a).toBeDefined();
    expect(names()[0]).not.toBe(other);
    expect(Buffer.from(Object.values(Template.fromStack(stack2).findResources('AWS::SageMaker::StudioLifecycleConfig'))[0].Properties.StudioLifecycleConfigContent, 'base64').toString()).toBe('echo 2');
  });
});

describe('StudioDomain validation', () => {
  function make(props: Partial<StudioDomainProps>, withNetwork = true): StudioDomain {
    const stack = testStack();
    return new StudioDomain(stack, 'Studio', { network: withNetwork ? new MlNetwork(stack, 'Network') : undefined, teardownApps: false, ...props });
  }

  test('VPC-only without subnets', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    expect(() => new StudioDomain(stack, 'Studio', { vpc, securityGroups: [sg] })).toThrow(/\[TestStack\/Studio\] the subnet selection finds no subnets in the VPC/);
  });

  test('no network at all', () => {
    expect(() => make({}, false)).toThrow(/no network and no vpc are set, but the domain is VPC-only/);
  });

  test('more security groups than SageMaker allows', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    const groups = Array.from({ length: 6 }, (_, i) => new ec2.SecurityGroup(stack, `Sg${i}`, { vpc: network.vpc }));
    expect(() => new StudioDomain(stack, 'Studio', { network, securityGroups: groups })).toThrow(/6 security groups are given, but VPC-only Studio needs 1 to 5/);
  });

  test('idle timeout out of range', () => {
    expect(() => make({ idleTimeout: Duration.minutes(30) })).toThrow(/idleTimeout in minutes is 30, but must be between 60 and 525600/);
  });

  test('volume key with an NVMe default instance type', () => {
    expect(() => make({ defaultInstanceType: InstanceType.ML_M5D_XLARGE })).toThrow(/defaultInstanceType is ml\.m5d\.xlarge, which has local NVMe storage/);
  });

  test('default space volume above the maximum', () => {
    expect(() => make({ defaultSpaceVolumeSize: Size.gibibytes(200) })).toThrow(/defaultSpaceVolumeSize \(200 GiB\) is larger than maxSpaceVolumeSize \(100 GiB\)/);
  });

  test('Identity Center profile without a user name', () => {
    const domain = make({ authMode: StudioAuthMode.IAM_IDENTITY_CENTER });
    expect(() => domain.addUserProfile('Alice')).toThrow(/\[TestStack\/Studio\/Alice\] the domain uses IAM Identity Center, but singleSignOnUserName is not set/);
  });

  test('IAM profile with an Identity Center user name', () => {
    expect(() => make({}).addUserProfile('Alice', { singleSignOnUserName: 'alice' })).toThrow(/singleSignOnUserName is set, but the domain uses IAM sign-in/);
  });

  test('invalid profile and space names, space volume', () => {
    const domain = make({});
    expect(() => domain.addUserProfile('A', { userProfileName: 'al_ice' })).toThrow(/userProfileName is "al_ice"/);
    const owner = domain.addUserProfile('B');
    expect(() => domain.addSpace('S', { owner, spaceName: 'my space', volumeSize: Size.gibibytes(1) })).toThrow(/2 problems:[\s\S]*spaceName is "my space"[\s\S]*volumeSize in GiB is 1/);
  });

  test('lifecycle script over the size limit', () => {
    expect(() => new StudioLifecycleConfig(testStack(), 'Big', { appType: StudioAppType.JUPYTER_LAB, script: 'x'.repeat(13000) })).toThrow(
      /script is 17336 characters base64-encoded, but SageMaker takes 1 to 16384/,
    );
  });
});
