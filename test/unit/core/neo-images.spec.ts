import { CfnParameter, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, NeoFramework, NeoTargetDevice, Processor } from '../../../lib/constructs/core';
import { NEO_ACCOUNTS, NEO_CHINA_ACCOUNTS } from '../../../lib/constructs/core/neo-registry';
import { envAgnosticStack, testApp, testStack } from '../../helpers';

// SageMaker Neo inference images: registries of the SageMaker Python SDK's neo-pytorch.json,
// neo-tensorflow.json, xgboost-neo.json, inferentia-pytorch.json and inferentia-tensorflow.json.

function uriIn(stack: Stack, image: ContainerImage): unknown {
  const role = new iam.Role(stack, `Role${stack.node.children.length}`, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  return stack.resolve(image.bind(stack, role).imageUri);
}

describe('ContainerImage.neoInference', () => {
  test.each([
    ['XGBoost (any target)', { framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 }, 'xgboost-neo:latest', undefined],
    ['PyTorch 1.13 on ml_c5 (cpu)', { framework: NeoFramework.PYTORCH, targetDevice: NeoTargetDevice.ML_C5, frameworkVersion: '1.13' }, 'sagemaker-inference-pytorch:1.13-cpu-py3', Processor.CPU],
    ['PyTorch 1.8.1 (an SDK alias of 1.8) on ml_g4dn (gpu)', { framework: NeoFramework.PYTORCH, targetDevice: NeoTargetDevice.ML_G4DN, frameworkVersion: '1.8.1' }, 'sagemaker-inference-pytorch:1.8-gpu-py3', Processor.GPU],
    ['TensorFlow 2.9 on ml_p3 (gpu)', { framework: NeoFramework.TENSORFLOW, targetDevice: NeoTargetDevice.ML_P3, frameworkVersion: '2.9' }, 'sagemaker-inference-tensorflow:2.9.2-gpu-py3', Processor.GPU],
    ['TensorFlow 1.15 (one image of the line) on ml_m5', { framework: NeoFramework.TENSORFLOW, targetDevice: NeoTargetDevice.ML_M5, frameworkVersion: '1.15' }, 'sagemaker-inference-tensorflow:1.15.3-cpu-py3', Processor.CPU],
    ['PyTorch 1.9 on ml_inf1', { framework: NeoFramework.PYTORCH, targetDevice: NeoTargetDevice.ML_INF1, frameworkVersion: '1.9' }, 'sagemaker-neo-pytorch:1.9-inf-py3', undefined],
    ['TensorFlow 2.5 on ml_inf1', { framework: NeoFramework.TENSORFLOW, targetDevice: NeoTargetDevice.ML_INF1, frameworkVersion: '2.5' }, 'sagemaker-neo-tensorflow:2.5.2-inf-py3', undefined],
  ])('%s', (_name, options, repositoryAndTag, processor) => {
    const image = ContainerImage.neoInference(options);
    expect(uriIn(testStack(), image)).toBe(`785573368785.dkr.ecr.us-east-1.amazonaws.com/${repositoryAndTag}`);
    expect(image.processor).toBe(processor);
    expect(image.sageMakerFamily).toBe('Neo');
  });

  test('pull access on exactly the image repository', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    ContainerImage.neoInference({ framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 }).bind(stack, role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Effect: 'Allow', Resource: 'arn:aws:ecr:us-east-1:785573368785:repository/xgboost-neo' },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
  });

  test.each(Object.entries(NEO_CHINA_ACCOUNTS))('China: %s on amazonaws.com.cn', (region, account) => {
    const stack = testStack(testApp(), `China-${region}`, { env: { account: '123456789012', region } });
    const image = ContainerImage.neoInference({ framework: NeoFramework.PYTORCH, targetDevice: NeoTargetDevice.ML_C5, frameworkVersion: '2.0' });
    expect(uriIn(stack, image)).toBe(`${account}.dkr.ecr.${region}.amazonaws.com.cn/sagemaker-inference-pytorch:2.0-cpu-py3`);
  });

  test('every commercial region of the SDK tables, and none else', () => {
    expect(uriIn(testStack(testApp(), 'Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } }), ContainerImage.neoInference({ framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 })))
      .toBe(`${NEO_ACCOUNTS['eu-central-1']}.dkr.ecr.eu-central-1.amazonaws.com/xgboost-neo:latest`);
    const stack = testStack(testApp(), 'Jakarta', { env: { account: '123456789012', region: 'ap-southeast-3' } });
    expect(() => uriIn(stack, ContainerImage.neoInference({ framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 }))).toThrow(
      /\[Jakarta\] SageMaker's Neo image \(xgboost-neo\) is not published in region ap-southeast-3 as far as this library knows\. Supported regions: af-south-1, .*cn-north-1/,
    );
  });

  test('an env-agnostic stack looks the account up in a mapping', () => {
    const stack = envAgnosticStack();
    const uri = JSON.stringify(uriIn(stack, ContainerImage.neoInference({ framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 })));
    expect(uri).toContain('SageMakerImageAccountsNeo');
    expect(Template.fromStack(stack).toJSON().Mappings.SageMakerImageAccountsNeo['cn-northwest-1']).toEqual({ account: '474822919863' });
  });

  test('an unknown version lists the known ones', () => {
    expect(() => ContainerImage.neoInference({ framework: NeoFramework.PYTORCH, targetDevice: NeoTargetDevice.ML_C5, frameworkVersion: '2.1' })).toThrow(
      'ContainerImage.neoInference: PYTORCH version for ml_c5 "2.1" is not one whose registries this library knows. Supported: 1.4, 1.5, 1.6, 1.7, 1.8, 1.12, 1.13, 2.0.',
    );
    expect(() => ContainerImage.neoInference({ framework: NeoFramework.PYTORCH, targetDevice: NeoTargetDevice.ML_INF1, frameworkVersion: '1.13' })).toThrow(/Supported: 1\.7, 1\.8, 1\.9\./);
  });

  test('PyTorch and TensorFlow need the framework version', () => {
    expect(() => ContainerImage.neoInference({ framework: NeoFramework.TENSORFLOW, targetDevice: NeoTargetDevice.ML_C5 })).toThrow(
      'ContainerImage.neoInference: TENSORFLOW images are per framework version; give frameworkVersion, one of 1.15.3, 2.9.2.',
    );
  });

  test('a framework without a known Neo image', () => {
    expect(() => ContainerImage.neoInference({ framework: NeoFramework.ONNX, targetDevice: NeoTargetDevice.ML_C5 })).toThrow(
      /framework for a Neo image \(ml_c5\) "ONNX" is not one whose registries this library knows\. Supported: XGBOOST, PYTORCH, TENSORFLOW\. .*ContainerImage\.fromRegistry/,
    );
  });

  test('a token version passes unchecked', () => {
    const stack = testStack();
    const version = new CfnParameter(stack, 'NeoVersion').valueAsString;
    const image = ContainerImage.neoInference({ framework: NeoFramework.PYTORCH, targetDevice: NeoTargetDevice.ML_C5, frameworkVersion: version });
    expect(uriIn(stack, image)).toEqual({ 'Fn::Join': ['', ['785573368785.dkr.ecr.us-east-1.amazonaws.com/sagemaker-inference-pytorch:', { Ref: 'NeoVersion' }, '-cpu-py3']] });
  });
});
