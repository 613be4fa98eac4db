import { Aws, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, Processor } from '../../../lib/constructs/core';
import { PYTORCH_CHINA_ACCOUNTS, PYTORCH_INFERENCE_VERSIONS, PYTORCH_TRAINING_VERSIONS } from '../../../lib/constructs/core/pytorch-registry';
import { SKLEARN_TAGS, XGBOOST_SKLEARN_CHINA_ACCOUNTS, XGBOOST_TAGS } from '../../../lib/constructs/core/xgboost-sklearn-registry';
import { envAgnosticStack, testApp, testStack } from '../../helpers';

// SageMaker's own images in the China (aws-cn) partition: accounts from the SageMaker Python SDK's
// image_uri_config (xgboost.json, sklearn.json, pytorch.json), registry domain amazonaws.com.cn,
// pull grants on arn:aws-cn: repositories.

function chinaStack(region: string): Stack {
  return testStack(testApp(), `China-${region}`, { env: { account: '123456789012', region } });
}

/** The image URI bound in `stack` and the repository ARN of the pull grant. */
function bound(image: ContainerImage, stack: Stack): { uri: unknown; repositoryArns: unknown[] } {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const uri = stack.resolve(image.bind(stack, role).imageUri);
  const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const repositoryArns = Object.values(statements)
    .flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement)
    .filter((statement) => JSON.stringify(statement.Action).includes('ecr:BatchGetImage'))
    .map((statement) => statement.Resource);
  return { uri, repositoryArns };
}

const KINDS: Array<[string, () => ContainerImage, string, Record<string, string>]> = [
  ['XGBoost 1.7-1', () => ContainerImage.xgboost('1.7-1'), 'sagemaker-xgboost:1.7-1', XGBOOST_SKLEARN_CHINA_ACCOUNTS],
  ['scikit-learn 1.2-1', () => ContainerImage.sklearn('1.2-1'), 'sagemaker-scikit-learn:1.2-1-cpu-py3', XGBOOST_SKLEARN_CHINA_ACCOUNTS],
  ['PyTorch training 2.1.0 GPU', () => ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }), 'pytorch-training:2.1.0-gpu-py310', PYTORCH_CHINA_ACCOUNTS],
  ['PyTorch inference 2.1.0 CPU', () => ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.CPU }), 'pytorch-inference:2.1.0-cpu-py310', PYTORCH_CHINA_ACCOUNTS],
];

describe('SageMaker images in the China regions', () => {
  describe.each(['cn-north-1', 'cn-northwest-1'])('%s', (region) => {
    test.each(KINDS)('%s: URI on amazonaws.com.cn, pull grant on the arn:aws-cn: repository', (_name, image, repositoryAndTag, accounts) => {
      const account = accounts[region];
      const repository = repositoryAndTag.split(':')[0];
      const { uri, repositoryArns } = bound(image(), chinaStack(region));
      expect(uri).toBe(`${account}.dkr.ecr.${region}.amazonaws.com.cn/${repositoryAndTag}`);
      expect(repositoryArns).toEqual([`arn:aws-cn:ecr:${region}:${account}:repository/${repository}`]);
    });
  });

  test('the SDK accounts: XGBoost and scikit-learn share one account per China region, the PyTorch DLCs one for both', () => {
    expect(XGBOOST_SKLEARN_CHINA_ACCOUNTS).toEqual({ 'cn-north-1': '450853457545', 'cn-northwest-1': '451049120500' });
    expect(PYTORCH_CHINA_ACCOUNTS).toEqual({ 'cn-north-1': '727897471807', 'cn-northwest-1': '727897471807' });
  });

  test('every listed version resolves in both China regions', () => {
    for (const region of ['cn-north-1', 'cn-northwest-1']) {
      const stack = chinaStack(region);
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      for (const version of Object.keys(XGBOOST_TAGS)) {
        expect(stack.resolve(ContainerImage.xgboost(version).bind(stack, role).imageUri)).toContain(`.dkr.ecr.${region}.amazonaws.com.cn/sagemaker-xgboost:`);
      }
      for (const version of Object.keys(SKLEARN_TAGS)) {
        expect(stack.resolve(ContainerImage.sklearn(version).bind(stack, role).imageUri)).toContain(`.dkr.ecr.${region}.amazonaws.com.cn/sagemaker-scikit-learn:`);
      }
      for (const version of Object.keys(PYTORCH_TRAINING_VERSIONS)) {
        expect(stack.resolve(ContainerImage.pytorchTraining({ version, processor: Processor.CPU }).bind(stack, role).imageUri)).toContain(
          `727897471807.dkr.ecr.${region}.amazonaws.com.cn/pytorch-training:${version}-cpu-`,
        );
      }
      for (const version of Object.keys(PYTORCH_INFERENCE_VERSIONS)) {
        expect(stack.resolve(ContainerImage.pytorchInference({ version, processor: Processor.GPU }).bind(stack, role).imageUri)).toContain(
          `727897471807.dkr.ecr.${region}.amazonaws.com.cn/pytorch-inference:${version}-gpu-`,
        );
      }
    }
  });

  test.each(KINDS)('%s in an env-agnostic stack: the region mapping has both China regions, the domain is AWS::URLSuffix', (_name, image, _repositoryAndTag, accounts) => {
    const stack = envAgnosticStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const uri = JSON.stringify(stack.resolve(image().bind(stack, role).imageUri));
    expect(uri).toContain(JSON.stringify(stack.resolve(Aws.URL_SUFFIX)).slice(1, -1));
    const mappings = Template.fromStack(stack).toJSON().Mappings as Record<string, Record<string, { account: string }>>;
    const [mapping] = Object.values(mappings);
    expect(mapping['cn-north-1']).toEqual({ account: accounts['cn-north-1'] });
    expect(mapping['cn-northwest-1']).toEqual({ account: accounts['cn-northwest-1'] });
    // Commercial regions stay in the same mapping.
    expect(mapping['us-east-1']).toBeDefined();
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain('"Ref":"AWS::Partition"');
    expect(policies).not.toContain('arn:aws:');
  });
});
