import { Annotations as CoreAnnotations, Duration, Lazy, Size, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { InstanceType, MlKey, MlNetwork, NotebookInstance, NotebookLifecycleConfig, NotebookPlatform } from '../../../lib';
import { NETWORK_IAM_OPTIONS } from '../studio/fixtures';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

function decode(content: unknown): string {
  return Buffer.from(String(content), 'base64').toString('utf-8');
}

describe('NotebookInstance defaults', () => {
  const stack = testStack();
  const network = new MlNetwork(stack, 'Network');
  const notebook = new NotebookInstance(stack, 'Notebook', { network, defaultCodeRepository: 'https://github.com/user/repo' });
  const template = Template.fromStack(stack);

  test('private, no root, IMDSv2, KMS volume, reference sizes', () => {
    template.hasResourceProperties('AWS::SageMaker::NotebookInstance', {
      InstanceType: 'ml.t3.medium',
      VolumeSizeInGB: 50,
      DirectInternetAccess: 'Disabled',
      RootAccess: 'Disabled',
      PlatformIdentifier: 'notebook-al2023-v1',
      InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' },
      KmsKeyId: Match.anyValue(),
      SubnetId: Match.anyValue(),
      SecurityGroupIds: [stack.resolve(network.developmentSecurityGroup.securityGroupId)],
      DefaultCodeRepository: 'https://github.com/user/repo',
      LifecycleConfigName: Match.anyValue(),
    });
    // A stable, lower-case generated name: the ARN is built from it.
    expect(template.findResources('AWS::SageMaker::NotebookInstance')[stack.getLogicalId(notebook.node.defaultChild as never)].Properties.NotebookInstanceName).toMatch(
      /^teststack-notebook-[0-9a-f]{8}$/,
    );
  });

  test('the ARN is built from the lower-case name; no Fn::GetAtt NotebookInstanceArn anywhere', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('NotebookInstanceArn');
    const name = template.findResources('AWS::SageMaker::NotebookInstance')[stack.getLogicalId(notebook.node.defaultChild as never)].Properties.NotebookInstanceName as string;
    expect(stack.resolve(notebook.notebookInstanceArn)).toBe(`arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/${name}`);
    const namedStack = testStack(undefined, 'Named');
    const named = new NotebookInstance(namedStack, 'Nb', { network: new MlNetwork(namedStack, 'N'), notebookInstanceName: 'My-Notebook' });
    expect(Stack.of(named).resolve(named.notebookInstanceArn)).toBe('arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/my-notebook');
  });

  test('the lifecycle configuration installs a 60-minute idle stop', () => {
    const configs = template.findResources('AWS::SageMaker::NotebookInstanceLifecycleConfig');
    const config = Object.values(configs)[0].Properties;
    expect(config.OnCreate).toBeUndefined();
    const script = decode(config.OnStart[0].Content);
    expect(script).toContain('notebook-idle-stop.py 60');
    expect(script).toContain('stop_notebook_instance');
  });

  test('the role may stop only this instance', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sagemaker:StopNotebookInstance', Resource: stack.resolve(notebook.notebookInstanceArn) }),
        ]),
      },
    });
  });

  test('grantCreatePresignedUrl scopes to the instance', () => {
    const userStack = testStack(testApp(), 'Users');
    const user = new iam.Role(userStack, 'User', { assumedBy: new iam.AccountRootPrincipal() });
    const imported = NotebookInstance.fromNotebookInstanceName(userStack, 'Imported', 'team-notebook');
    imported.grantCreatePresignedUrl(user);
    Template.fromStack(userStack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: ['sagemaker:CreatePresignedNotebookInstanceUrl', 'sagemaker:DescribeNotebookInstance'], Resource: 'arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/team-notebook' })],
      },
    });
  });
});

describe('NotebookInstance options', () => {
  test('custom scripts, idle time, size, platform and repositories', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    new NotebookInstance(stack, 'Notebook', {
      network,
      instanceType: InstanceType.ML_T3_LARGE,
      volumeSize: Size.gibibytes(100),
      idleTimeout: Duration.minutes(30),
      onCreateScript: 'echo created',
      onStartScript: 'echo started',
      platform: NotebookPlatform.AL2_V3,
      rootAccess: true,
      additionalCodeRepositories: ['https://github.com/a/b'],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::NotebookInstance', {
      InstanceType: 'ml.t3.large',
      VolumeSizeInGB: 100,
      RootAccess: 'Enabled',
      PlatformIdentifier: 'notebook-al2-v3',
      AdditionalCodeRepositories: ['https://github.com/a/b'],
    });
    const config = Object.values(template.findResources('AWS::SageMaker::NotebookInstanceLifecycleConfig'))[0].Properties;
    expect(decode(config.OnCreate[0].Content)).toBe('echo created');
    const onStart = decode(config.OnStart[0].Content);
    expect(onStart).toContain('notebook-idle-stop.py 30');
    expect(onStart.trimEnd().endsWith('echo started')).toBe(true);
  });

  test('no idle stop: no stop permission and no on-start script', () => {
    const stack = testStack();
    new NotebookInstance(stack, 'Notebook', { network: new MlNetwork(stack, 'Network'), autoStopWhenIdle: false });
    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.toJSON())).not.toContain('sagemaker:StopNotebookInstance');
    template.resourceCountIs('AWS::SageMaker::NotebookInstanceLifecycleConfig', 0);
    template.hasResourceProperties('AWS::SageMaker::NotebookInstance', { LifecycleConfigName: Match.absent() });
  });

  test('NVMe instance types get no volume key by default', () => {
    const stack = testStack();
    new NotebookInstance(stack, 'Notebook', { network: new MlNetwork(stack, 'Network'), instanceType: InstanceType.ML_M5D_XLARGE });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::NotebookInstance', { KmsKeyId: Match.absent() });
  });

  test('scripts with tokens are encoded with Fn::Base64 and not size-checked', () => {
    const stack = testStack();
    new NotebookLifecycleConfig(stack, 'Config', { onCreateScript: `aws s3 cp ${Lazy.string({ produce: () => 'x'.repeat(20000) })} .` });
    const config = Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::NotebookInstanceLifecycleConfig'))[0].Properties;
    expect(config.OnCreate[0].Content['Fn::Base64']).toBeDefined();
  });

  test('fromNotebookInstanceName builds a lower-case ARN', () => {
    const stack = testStack();
    const imported = NotebookInstance.fromNotebookInstanceName(stack, 'Imported', 'MyNotebook');
    expect(stack.resolve(imported.notebookInstanceArn)).toBe('arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/mynotebook');
  });
});

describe('NotebookInstance validation', () => {
  function make(props: Partial<ConstructorParameters<typeof NotebookInstance>[2]>, stack: Stack = testStack()): NotebookInstance {
    return new NotebookInstance(stack, 'Notebook', { network: new MlNetwork(stack, 'Network'), ...props });
  }

  test('volume key on an NVMe instance type', () => {
    const stack = testStack();
    expect(() => make({ instanceType: InstanceType.ML_M5D_XLARGE, encryptionKey: new MlKey(stack, 'K') }, stack)).toThrow(
      /\[TestStack\/Notebook\] encryptionKey is set, but ml\.m5d\.xlarge has local NVMe storage.*remove encryptionKey/,
    );
  });

  test('volume size out of range', () => {
    expect(() => make({ volumeSize: Size.gibibytes(2) })).toThrow(/volumeSize in GiB is 2, but must be between 5 and 16384/);
  });

  test('too many code repositories', () => {
    expect(() => make({ additionalCodeRepositories: ['a', 'b', 'c', 'd'] })).toThrow(/additionalCodeRepositories has 4 entries, but SageMaker allows at most 3/);
  });

  test('invalid name', () => {
    expect(() => make({ notebookInstanceName: 'bad_name' })).toThrow(/notebookInstanceName is "bad_name"/);
  });

  test('idle timeout out of range', () => {
    expect(() => make({ idleTimeout: Duration.minutes(2) })).toThrow(/\[TestStack\/Notebook\/LifecycleConfig\] idleTimeout in minutes is 2, but must be between 5 and 1440/);
  });

  test('lifecycle config together with script options', () => {
    const stack = testStack();
    const lifecycleConfig = new NotebookLifecycleConfig(stack, 'Config');
    expect(() => make({ lifecycleConfig, onStartScript: 'x' }, stack)).toThrow(/lifecycleConfig replaces the default lifecycle configuration/);
  });

  test('script over the size limit', () => {
    const stack = testStack();
    expect(() => new NotebookLifecycleConfig(stack, 'Config', { onCreateScript: 'x'.repeat(13000) })).toThrow(
      /the onCreateScript is 17336 characters base64-encoded, but SageMaker allows at most 16384/,
    );
  });

  test('direct internet access fails synth until its warning is acknowledged', () => {
    const app = testApp();
    const stack = testStack(app);
    make({ directInternetAccess: true }, stack);
    expect(() => app.synth()).toThrow(/directInternetAccess is true, but its warning sagemaker-cdk-constructs:notebookDirectInternetAccess is not acknowledged/);
  });

  test('direct internet access with the warning acknowledged', () => {
    const app = testApp();
    const stack = testStack(app);
    const notebook = make({ directInternetAccess: true }, stack);
    CoreAnnotations.of(notebook).acknowledgeWarning('sagemaker-cdk-constructs:notebookDirectInternetAccess', 'public tutorial account');
    app.synth();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('Direct internet access'));
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::NotebookInstance', { DirectInternetAccess: 'Enabled' });
  });
});

describe('NotebookInstance nag', () => {
  test('secure default passes the nag packs and the IAM check', () => {
    const app = testApp();
    const stack = testStack(app);
    new NotebookInstance(stack, 'Notebook', { network: new MlNetwork(stack, 'Network') });
    expectNagClean(app);
    expectLeastPrivilege(stack, NETWORK_IAM_OPTIONS);
  });
});
