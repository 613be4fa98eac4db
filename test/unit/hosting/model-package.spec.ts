import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType, ModelData, SourceCode } from '../../../lib/constructs/core';
import { Endpoint, EndpointVariant, Model } from '../../../lib/constructs/hosting';
import { ModelPackageVersion } from '../../../lib/constructs/registry';
import { SecureBucket } from '../../../lib/constructs/security';
import { testStack } from '../../helpers';

const VERSION = ModelPackageVersion.fromArn('arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/3');

describe('Model containers served from the model registry', () => {
  test('a container with neither image nor modelPackage is a synth error', () => {
    const stack = testStack();
    expect(() => new Model(stack, 'Model', { containers: [{ environment: { A: '1' } }] })).toThrow(
      '[TestStack/Model] containers[0] has neither image nor modelPackage; give the inference image (image: ContainerImage...) or a registered version (modelPackage: ModelPackageVersion...).',
    );
  });

  test('modelPackage with image, modelData and sourceCode is a synth error naming each', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Bucket');
    expect(() => new Model(stack, 'Model', {
      containers: [{
        modelPackage: VERSION,
        image: ContainerImage.xgboost('1.7-1'),
        modelData: ModelData.fromBucket(bucket, 'model.tar.gz'),
        sourceCode: SourceCode.fromDirectory(path.join(__dirname, '..', '..', 'fixtures', 'source'), { entryPoint: 'train.py' }),
      }],
    })).toThrow(
      '[TestStack/Model] containers[0] sets modelPackage and image, modelData, sourceCode: a model package version names its own image and model artifacts (CreateModel takes ModelPackageName instead of Image and ModelDataUrl). ' +
        'Remove image, modelData, sourceCode, or drop modelPackage and describe the container with image and modelData.',
    );
  });

  test('modelPackage with multiModel is a synth error', () => {
    const stack = testStack();
    expect(() => new Model(stack, 'Model', { containers: [{ modelPackage: VERSION, multiModel: true }] })).toThrow(
      '[TestStack/Model] containers[0] sets modelPackage and multiModel: a model package version names its own image and model artifacts (CreateModel takes ModelPackageName instead of Image and ModelDataUrl). ' +
        'Remove multiModel, or drop modelPackage and describe the container with image and modelData.',
    );
  });

  test('a registry container next to an image container renders both in order', () => {
    const stack = testStack();
    new Model(stack, 'Model', { containers: [{ image: ContainerImage.sklearn('1.2-1') }, { modelPackage: VERSION, containerHostname: 'scorer' }] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      Containers: [
        { Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', Mode: 'SingleModel' },
        { ModelPackageName: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/3', ContainerHostname: 'scorer' },
      ],
      InferenceExecutionConfig: { Mode: 'Serial' },
    });
  });

  test('the endpoint\'s GPU/CPU image check skips a registry container (its image is not known at synth)', () => {
    const stack = testStack();
    const model = new Model(stack, 'Model', { containers: [{ modelPackage: VERSION }] });
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_P3_2XLARGE })] })).not.toThrow();
  });
});
