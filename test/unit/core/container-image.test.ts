import { Stack, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, Processor } from '../../../lib/constructs/core';
import { envAgnosticStack, testStack } from '../../helpers';

function bound(image: ContainerImage, stack: Stack = testStack()) {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const config = image.bind(stack, role);
  return { stack, role, uri: stack.resolve(config.imageUri) };
}

describe('ContainerImage built-ins', () => {
  test('XGBoost in a concrete region is a concrete URI from the SDK registry table', () => {
    const { uri } = bound(ContainerImage.xgboost('1.7-1'));
    expect(uri).toEqual('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
  });

  test('scikit-learn, PyTorch and the Model Monitor analyzer', () => {
    expect(bound(ContainerImage.sklearn('1.2-1')).uri).toBe('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    expect(bound(ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU })).uri).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310',
    );
    expect(bound(ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.CPU, pythonVersion: 'py39' })).uri).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py39',
    );
    expect(bound(ContainerImage.modelMonitorAnalyzer()).uri).toBe('156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest');
  });

  test('processor is exposed for GPU/CPU mismatch checks', () => {
    expect(ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }).processor).toBe(Processor.GPU);
    expect(ContainerImage.xgboost('1.7-1').processor).toBeUndefined();
  });

  test('env-agnostic stacks look the account up in one CfnMapping per image family', () => {
    const stack = envAgnosticStack();
    const { uri } = bound(ContainerImage.xgboost('1.7-1'), stack);
    const role2 = new iam.Role(stack, 'Role2', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    ContainerImage.xgboost('1.5-1').bind(stack, role2);
    const template = Template.fromStack(stack).toJSON();
    expect(Object.keys(template.Mappings)).toEqual(['SageMakerImageAccountsXGBoost']);
    expect(template.Mappings.SageMakerImageAccountsXGBoost['eu-west-1']).toEqual({ account: '141502667606' });
    expect(JSON.stringify(uri)).toContain('"Fn::FindInMap":["SageMakerImageAccountsXGBoost",{"Ref":"AWS::Region"},"account"]');
  });

  test('an unsupported concrete region is a clear synth error naming the construct and region', () => {
    const stack = testStack(undefined, 'Far', { env: { account: '123456789012', region: 'mx-central-1' } });
    expect(() => bound(ContainerImage.modelMonitorAnalyzer(), stack)).toThrow(
      /\[Far\] SageMaker's ModelMonitor image \(sagemaker-model-monitor-analyzer\) is not published in region mx-central-1\. Supported regions: .*us-east-1.*ContainerImage.fromRegistry/,
    );
  });

  test('an unknown version is rejected with the supported versions', () => {
    expect(() => ContainerImage.xgboost('9.9-9')).toThrow(/XGBoost image version "9.9-9" .* Supported versions: 0.90-1, .*1.7-1/);
    expect(() => ContainerImage.sklearn('0.1')).toThrow(/scikit-learn image version "0.1"/);
    expect(() => ContainerImage.pytorchTraining({ version: '0.4', processor: Processor.CPU })).toThrow(/PyTorch image version "0.4"/);
  });

  test('bind grants pull on exactly the image repository, and the unscopable token action on "*"', () => {
    const { stack } = bound(ContainerImage.xgboost('1.7-1'));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Effect: 'Allow',
            Resource: 'arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-xgboost',
          },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ]),
      },
    });
  });
});

describe('ContainerImage from repositories', () => {
  test('fromEcrRepository renders the tag URI and grants pull on that repository', () => {
    const stack = testStack();
    const repository = new ecr.Repository(stack, 'Repo');
    const { uri } = bound(ContainerImage.fromEcrRepository(repository, '1.0'), stack);
    expect(JSON.stringify(uri)).toContain(':1.0');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['ecr:BatchGetImage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Repo'), 'Arn'] } }),
        ]),
      },
    });
  });

  test('fromRegistry passes the URI through and rejects an empty one', () => {
    expect(bound(ContainerImage.fromRegistry('public.ecr.aws/x/y:1')).uri).toBe('public.ecr.aws/x/y:1');
    expect(() => ContainerImage.fromRegistry(' ')).toThrow(/needs an image URI/);
  });

  test('fromAsset builds nothing until bound', () => {
    const stack = testStack();
    ContainerImage.fromAsset('/nonexistent-docker-context');
    expect(stack.node.findAll().length).toBe(1);
  });
});
