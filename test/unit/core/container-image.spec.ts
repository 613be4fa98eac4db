import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Token, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ContainerImage, Processor } from '../../../lib/constructs/core';
import { SageMakerExecutionRole } from '../../../lib/constructs/security';
import { envAgnosticStack, expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

function newRole(scope: Construct, id = 'Role'): iam.Role {
  return new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
}

function uriIn(image: ContainerImage, stack: Stack = testStack()): unknown {
  return stack.resolve(image.bind(stack, newRole(stack)).imageUri);
}

describe('ContainerImage built-ins in a concrete region', () => {
  test.each([
    ['xgboost 1.7-1', () => ContainerImage.xgboost('1.7-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1'],
    ['xgboost 1.0-1 (tag with processor and Python)', () => ContainerImage.xgboost('1.0-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3'],
    ['sklearn 1.2-1', () => ContainerImage.sklearn('1.2-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3'],
    [
      'PyTorch training GPU',
      () => ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }),
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310',
    ],
    [
      'PyTorch inference CPU with an explicit Python version',
      () => ContainerImage.pytorchInference({ version: '2.3.0', processor: Processor.CPU, pythonVersion: 'py311' }),
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311',
    ],
    ['Model Monitor analyzer', () => ContainerImage.modelMonitorAnalyzer(), '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest'],
  ])('%s', (_name, image, expected) => {
    expect(uriIn(image())).toBe(expected);
  });

  test('the account follows the region (SDK tables)', () => {
    const frankfurt = () => testStack(testApp(), 'Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } });
    expect(uriIn(ContainerImage.xgboost('1.7-1'), frankfurt())).toBe('492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(uriIn(ContainerImage.modelMonitorAnalyzer(), frankfurt())).toBe('048819808253.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest');
    const capeTown = testStack(testApp(), 'CapeTown', { env: { account: '123456789012', region: 'af-south-1' } });
    expect(uriIn(ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.CPU }), capeTown)).toBe(
      '626614931356.dkr.ecr.af-south-1.amazonaws.com/pytorch-training:2.1.0-cpu-py310',
    );
  });

  test('processor is exposed for GPU/CPU mismatch checks', () => {
    expect(ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }).processor).toBe(Processor.GPU);
    expect(ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.CPU }).processor).toBe(Processor.CPU);
    expect(ContainerImage.sklearn('1.2-1').processor).toBe(Processor.CPU);
    expect(ContainerImage.modelMonitorAnalyzer().processor).toBe(Processor.CPU);
    expect(ContainerImage.xgboost('1.7-1').processor).toBeUndefined();
    expect(ContainerImage.fromRegistry('public.ecr.aws/x/y:1').processor).toBeUndefined();
  });

  test('bind grants pull on exactly the image repository, and the unscopable token action on "*"', () => {
    const stack = testStack();
    ContainerImage.xgboost('1.7-1').bind(stack, newRole(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Effect: 'Allow',
            Resource: 'arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-xgboost',
          },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
  });
});

describe('ContainerImage built-ins in an env-agnostic stack', () => {
  const stack = envAgnosticStack();
  const xgboost = ContainerImage.xgboost('1.7-1').bind(stack, newRole(stack, 'First'));
  ContainerImage.xgboost('1.5-1').bind(stack, newRole(stack, 'Second'));
  const pytorch = ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }).bind(stack, newRole(stack, 'Third'));
  const template = Template.fromStack(stack).toJSON();
  const lookUp = (mapping: string) => ({ 'Fn::FindInMap': [mapping, { Ref: 'AWS::Region' }, 'account'] });

  test('one CfnMapping per image family, created once', () => {
    expect(Object.keys(template.Mappings).sort()).toEqual(['SageMakerImageAccountsPyTorch', 'SageMakerImageAccountsXGBoost']);
    expect(template.Mappings.SageMakerImageAccountsXGBoost['eu-west-1']).toEqual({ account: '141502667606' });
    expect(template.Mappings.SageMakerImageAccountsXGBoost['us-east-1']).toEqual({ account: '683313688378' });
    expect(template.Mappings.SageMakerImageAccountsPyTorch['ap-east-1']).toEqual({ account: '871362719292' });
  });

  test('the URI looks the account up by AWS::Region, with the partition URL suffix', () => {
    expect(stack.resolve(xgboost.imageUri)).toEqual({
      'Fn::Join': ['', [lookUp('SageMakerImageAccountsXGBoost'), '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-xgboost:1.7-1']],
    });
    expect(JSON.stringify(stack.resolve(pytorch.imageUri))).toContain('/pytorch-inference:2.1.0-gpu-py310');
  });

  test('the pull grant is scoped to the looked-up repository', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:', { Ref: 'AWS::Region' }, ':', lookUp('SageMakerImageAccountsXGBoost'), ':repository/sagemaker-xgboost']],
            },
          }),
        ]),
      },
    });
  });
});

describe('ContainerImage validation', () => {
  test('an unsupported concrete region is a clear synth error naming the construct, region and supported regions', () => {
    const stack = testStack(testApp(), 'Far', { env: { account: '123456789012', region: 'mx-central-1' } });
    expect(() => uriIn(ContainerImage.modelMonitorAnalyzer(), stack)).toThrow(
      /^\[Far\] SageMaker's ModelMonitor image \(sagemaker-model-monitor-analyzer\) is not published in region mx-central-1 .*Supported regions: af-south-1, .*us-west-2\. Deploy the stack to one of them, or give the image URI with ContainerImage\.fromRegistry\(uri\)\.$/,
    );
  });

  test('an unknown XGBoost version lists the supported ones', () => {
    expect(() => ContainerImage.xgboost('9.9-9')).toThrow(
      'ContainerImage.xgboost: XGBoost version "9.9-9" is not one whose registries this library knows. Supported: 0.90-1, 0.90-2, 1.0-1, 1.2-1, 1.2-2, 1.3-1, 1.5-1, 1.7-1, 3.0-5.',
    );
  });

  test('an unknown scikit-learn version lists the supported ones', () => {
    expect(() => ContainerImage.sklearn('0.1')).toThrow(/ContainerImage.sklearn: scikit-learn version "0.1" .* Supported: 0.20.0, 0.23-1, 1.0-1, 1.2-1\./);
  });

  test('an unknown PyTorch version, per image scope', () => {
    expect(() => ContainerImage.pytorchTraining({ version: '0.4', processor: Processor.CPU })).toThrow(/ContainerImage.pytorchTraining: PyTorch version "0.4" .*Supported: 1.12.1, .*2.8.0\./);
    // 2.8.0 has a training image but no inference image.
    expect(ContainerImage.pytorchTraining({ version: '2.8.0', processor: Processor.GPU }).processor).toBe(Processor.GPU);
    expect(() => ContainerImage.pytorchInference({ version: '2.8.0', processor: Processor.GPU })).toThrow(/ContainerImage.pytorchInference: PyTorch version "2.8.0" .*Supported: 1.12.1, .*2.6.0\./);
  });

  test('a Python version the PyTorch image is not built for', () => {
    expect(() => ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU, pythonVersion: 'py38' })).toThrow(
      /ContainerImage.pytorchTraining: Python version for PyTorch 2.1.0 "py38" .*Supported: py310\./,
    );
  });

  test('names of Object.prototype members are not versions', () => {
    expect(() => ContainerImage.xgboost('constructor')).toThrow(/XGBoost version "constructor"/);
    expect(() => ContainerImage.pytorchTraining({ version: 'toString', processor: Processor.CPU })).toThrow(/PyTorch version "toString"/);
  });

  test('tokens are not validated', () => {
    const version = Token.asString({ Ref: 'XGBoostVersion' });
    expect(() => ContainerImage.xgboost(version)).not.toThrow();
    const image = ContainerImage.pytorchTraining({ version: Token.asString({ Ref: 'TorchVersion' }), processor: Processor.GPU, pythonVersion: 'py310' });
    expect(image.processor).toBe(Processor.GPU);
  });

  test('a token PyTorch version needs an explicit Python version', () => {
    expect(() => ContainerImage.pytorchTraining({ version: Token.asString({ Ref: 'TorchVersion' }), processor: Processor.GPU })).toThrow(
      /ContainerImage.pytorchTraining: the PyTorch version is a token, so the image's Python version cannot be looked up\. Give pythonVersion too/,
    );
  });
});

describe('ContainerImage from repositories and assets', () => {
  test('fromEcrRepository renders the tag URI and grants pull on exactly that repository', () => {
    const stack = testStack();
    const repository = new ecr.Repository(stack, 'Repo');
    const uri = uriIn(ContainerImage.fromEcrRepository(repository, '1.0'), stack);
    expect(JSON.stringify(uri)).toMatch(/:1\.0"\]\]\}$/);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['ecr:BatchGetImage']), Resource: stack.resolve(repository.repositoryArn) }),
        ]),
      },
    });
  });

  test('fromEcrRepository defaults to latest and rejects an empty tag', () => {
    const stack = testStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'my-image');
    expect(JSON.stringify(uriIn(ContainerImage.fromEcrRepository(repository), stack))).toContain('/my-image:latest');
    expect(() => ContainerImage.fromEcrRepository(repository, ' ')).toThrow(/ContainerImage.fromEcrRepository: the tag is empty/);
  });

  test('fromRegistry passes the URI through, grants nothing, and rejects an empty one', () => {
    const stack = testStack();
    expect(uriIn(ContainerImage.fromRegistry('public.ecr.aws/x/y:1'), stack)).toBe('public.ecr.aws/x/y:1');
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    expect(() => ContainerImage.fromRegistry(' ')).toThrow(/needs an image URI/);
  });

  test('fromAsset creates nothing at construction and one Docker image asset per stack when bound', () => {
    const stack = testStack();
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-context-'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM public.ecr.aws/docker/library/python:3.11-slim\n');
    const image = ContainerImage.fromAsset(context);
    expect(stack.node.findAll().length).toBe(1);
    const first = image.bind(stack, newRole(stack, 'First'));
    const second = image.bind(stack, newRole(stack, 'Second'));
    expect(stack.node.findAll().filter((c) => c instanceof ecr_assets.DockerImageAsset)).toHaveLength(1);
    expect(stack.resolve(first.imageUri)).toEqual(stack.resolve(second.imageUri));
  });
});

describe('ContainerImage nag', () => {
  test('a role bound to built-in and repository images is nag-clean and least-privilege', () => {
    const app = testApp();
    const stack = testStack(app);
    // The execution role keeps its permissions in customer-managed policies (no inline policy).
    const role = new SageMakerExecutionRole(stack, 'Role');
    ContainerImage.xgboost('1.7-1').bind(stack, role);
    ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }).bind(stack, role);
    ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'my-image'), '1.0').bind(stack, role);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
