import { Aws, Lazy, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, Processor } from '../../../lib/constructs/core';
import { LINEAR_LEARNER_ACCOUNTS, LINEAR_LEARNER_CHINA_ACCOUNTS } from '../../../lib/constructs/core/linear-learner-registry';
import {
  TENSORFLOW_ACCOUNTS,
  TENSORFLOW_CHINA_ACCOUNTS,
  TENSORFLOW_INFERENCE_VERSIONS,
  TENSORFLOW_TRAINING_VERSIONS,
} from '../../../lib/constructs/core/tensorflow-registry';
import { SageMakerExecutionRole } from '../../../lib/constructs/security';
import { classifyImage } from '../../../lib/local/jobs/images';
import { envAgnosticStack, expectLeastPrivilege, testApp, testStack } from '../../helpers';

// ContainerImage.linearLearner / tensorflowTraining / tensorflowInference: accounts from the SageMaker
// Python SDK's image_uri_config/linear-learner.json and tensorflow.json (sagemaker-core 3.20.0).

function stackIn(region: string): Stack {
  return testStack(testApp(), `In-${region}`, { env: { account: '123456789012', region } });
}

function newRole(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
}

/** The bound URI and the repository ARNs of the pull grant. */
function bound(image: ContainerImage, stack: Stack): { uri: unknown; repositoryArns: unknown[] } {
  const uri = stack.resolve(image.bind(stack, newRole(stack)).imageUri);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const repositoryArns = Object.values(policies)
    .flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement)
    .filter((statement) => JSON.stringify(statement.Action).includes('ecr:BatchGetImage'))
    .map((statement) => statement.Resource);
  return { uri, repositoryArns };
}

describe('ContainerImage.linearLearner', () => {
  test.each([
    ['us-east-1', '382416733822', 'amazonaws.com', 'aws'],
    ['us-west-2', '174872318107', 'amazonaws.com', 'aws'],
    ['eu-west-1', '438346466558', 'amazonaws.com', 'aws'],
    ['ap-northeast-1', '351501993468', 'amazonaws.com', 'aws'],
    ['cn-north-1', '390948362332', 'amazonaws.com.cn', 'aws-cn'],
    ['cn-northwest-1', '387376663083', 'amazonaws.com.cn', 'aws-cn'],
  ])('%s: linear-learner:1 from account %s, pull grant on exactly that repository', (region, account, domain, partition) => {
    const { uri, repositoryArns } = bound(ContainerImage.linearLearner(), stackIn(region));
    expect(uri).toBe(`${account}.dkr.ecr.${region}.${domain}/linear-learner:1`);
    expect(repositoryArns).toEqual([`arn:${partition}:ecr:${region}:${account}:repository/linear-learner`]);
  });

  test('runs on CPU and GPU instances (no processor), is a SageMaker family of its own', () => {
    const image = ContainerImage.linearLearner();
    expect(image.processor).toBeUndefined();
    expect(image.sageMakerFamily).toBe('LinearLearner');
  });

  test('a digest or another tag can be pinned instead of 1', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(bound(ContainerImage.linearLearner({ digest }), stackIn('us-east-1')).uri).toBe(`382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner@${digest}`);
    expect(() => ContainerImage.linearLearner({ tag: '1', digest })).toThrow(/ContainerImage\.linearLearner: both tag "1" and digest/);
  });

  test('a region the SDK does not list is a synth error naming the construct and the supported regions', () => {
    const stack = stackIn('us-gov-west-1');
    expect(() => ContainerImage.linearLearner().bind(stack, newRole(stack))).toThrow(
      /\[In-us-gov-west-1\] SageMaker's LinearLearner image \(linear-learner\) is not published in region us-gov-west-1 .* Supported regions: af-south-1, .*cn-north-1, cn-northwest-1, .*us-west-2\. .*ContainerImage\.fromRegistry/,
    );
  });

  test('env-agnostic stack: one region mapping with the commercial and China accounts, URL suffix and partition from the stack', () => {
    const stack = envAgnosticStack();
    const uri = JSON.stringify(stack.resolve(ContainerImage.linearLearner().bind(stack, newRole(stack)).imageUri));
    expect(uri).toContain(JSON.stringify(stack.resolve(Aws.URL_SUFFIX)).slice(1, -1));
    expect(uri).toContain('/linear-learner:1');
    const mappings = Template.fromStack(stack).toJSON().Mappings as Record<string, Record<string, { account: string }>>;
    expect(Object.keys(mappings)).toEqual(['SageMakerImageAccountsLinearLearner']);
    const mapping = mappings.SageMakerImageAccountsLinearLearner;
    expect(Object.keys(mapping).sort()).toEqual(Object.keys({ ...LINEAR_LEARNER_ACCOUNTS, ...LINEAR_LEARNER_CHINA_ACCOUNTS }).sort());
    expect(mapping['cn-north-1']).toEqual({ account: '390948362332' });
    expect(mapping['us-east-1']).toEqual({ account: '382416733822' });
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain('"Ref":"AWS::Partition"');
    expect(policies).not.toContain('arn:aws:');
  });

  test('the registry tables: commercial regions and the two China regions, 12-digit accounts', () => {
    for (const [region, account] of Object.entries(LINEAR_LEARNER_ACCOUNTS)) {
      expect(region).toMatch(/^(af|ap|ca|eu|il|me|mx|sa|us)-[a-z]+-\d$/);
      expect(region).not.toMatch(/^(us-gov|us-iso|cn)-/);
      expect(account).toMatch(/^\d{12}$/);
    }
    expect(LINEAR_LEARNER_CHINA_ACCOUNTS).toEqual({ 'cn-north-1': '390948362332', 'cn-northwest-1': '387376663083' });
  });
});

describe('ContainerImage.tensorflowTraining / tensorflowInference', () => {
  test.each([
    ['training 2.16.2 GPU (default Python)', () => ContainerImage.tensorflowTraining({ version: '2.16.2', processor: Processor.GPU }), 'tensorflow-training:2.16.2-gpu-py310'],
    ['training 2.19.0 CPU (py312)', () => ContainerImage.tensorflowTraining({ version: '2.19.0', processor: Processor.CPU }), 'tensorflow-training:2.19.0-cpu-py312'],
    [
      'training 2.13.0 CPU with an explicit Python version',
      () => ContainerImage.tensorflowTraining({ version: '2.13.0', processor: Processor.CPU, pythonVersion: 'py310' }),
      'tensorflow-training:2.13.0-cpu-py310',
    ],
    ['inference 2.16.1 CPU (no Python in the tag)', () => ContainerImage.tensorflowInference({ version: '2.16.1', processor: Processor.CPU }), 'tensorflow-inference:2.16.1-cpu'],
    ['inference 2.14.1 GPU', () => ContainerImage.tensorflowInference({ version: '2.14.1', processor: Processor.GPU }), 'tensorflow-inference:2.14.1-gpu'],
  ])('%s', (_name, image, repositoryAndTag) => {
    const { uri, repositoryArns } = bound(image(), stackIn('us-east-1'));
    expect(uri).toBe(`763104351884.dkr.ecr.us-east-1.amazonaws.com/${repositoryAndTag}`);
    expect(repositoryArns).toEqual([`arn:aws:ecr:us-east-1:763104351884:repository/${repositoryAndTag.split(':')[0]}`]);
  });

  test('the account follows the region', () => {
    expect(bound(ContainerImage.tensorflowTraining({ version: '2.16.2', processor: Processor.CPU }), stackIn('af-south-1')).uri).toBe(
      '626614931356.dkr.ecr.af-south-1.amazonaws.com/tensorflow-training:2.16.2-cpu-py310',
    );
    expect(bound(ContainerImage.tensorflowInference({ version: '2.18.0', processor: Processor.CPU }), stackIn('eu-central-2')).uri).toBe(
      '380420809688.dkr.ecr.eu-central-2.amazonaws.com/tensorflow-inference:2.18.0-cpu',
    );
  });

  describe.each(['cn-north-1', 'cn-northwest-1'])('%s', (region) => {
    test.each([
      ['training', () => ContainerImage.tensorflowTraining({ version: '2.16.2', processor: Processor.GPU }), 'tensorflow-training:2.16.2-gpu-py310'],
      ['inference', () => ContainerImage.tensorflowInference({ version: '2.16.1', processor: Processor.CPU }), 'tensorflow-inference:2.16.1-cpu'],
    ])('%s: URI on amazonaws.com.cn, pull grant on the arn:aws-cn: repository', (_kind, image, repositoryAndTag) => {
      const { uri, repositoryArns } = bound(image(), stackIn(region));
      expect(uri).toBe(`727897471807.dkr.ecr.${region}.amazonaws.com.cn/${repositoryAndTag}`);
      expect(repositoryArns).toEqual([`arn:aws-cn:ecr:${region}:727897471807:repository/${repositoryAndTag.split(':')[0]}`]);
    });
  });

  test('every listed version resolves in us-east-1 and both China regions', () => {
    for (const region of ['us-east-1', 'cn-north-1', 'cn-northwest-1']) {
      const stack = stackIn(region);
      const role = newRole(stack);
      for (const [version, pythons] of Object.entries(TENSORFLOW_TRAINING_VERSIONS)) {
        expect(stack.resolve(ContainerImage.tensorflowTraining({ version, processor: Processor.CPU }).bind(stack, role).imageUri)).toMatch(
          new RegExp(`\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com(\\.cn)?/tensorflow-training:${version}-cpu-${pythons[0]}$`),
        );
      }
      for (const version of TENSORFLOW_INFERENCE_VERSIONS) {
        expect(stack.resolve(ContainerImage.tensorflowInference({ version, processor: Processor.GPU }).bind(stack, role).imageUri)).toMatch(
          new RegExp(`\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com(\\.cn)?/tensorflow-inference:${version}-gpu$`),
        );
      }
    }
  });

  test('processor is exposed for GPU/CPU mismatch checks; both images are the TensorFlow family', () => {
    const training = ContainerImage.tensorflowTraining({ version: '2.16.2', processor: Processor.GPU });
    const inference = ContainerImage.tensorflowInference({ version: '2.16.1', processor: Processor.CPU });
    expect([training.processor, inference.processor]).toEqual([Processor.GPU, Processor.CPU]);
    expect([training.sageMakerFamily, inference.sageMakerFamily]).toEqual(['TensorFlow', 'TensorFlow']);
  });

  test('an unknown training version is an error listing the known ones', () => {
    expect(() => ContainerImage.tensorflowTraining({ version: '2.15.0', processor: Processor.CPU })).toThrow(
      'ContainerImage.tensorflowTraining: TensorFlow version "2.15.0" is not one whose registries this library knows. Supported: 2.13.0, 2.14.1, 2.16.2, 2.18.0, 2.19.0. Pick one of them, or give the image URI with ContainerImage.fromRegistry(uri).',
    );
  });

  test('an unknown inference version is an error listing the known ones (inference has 2.16.1, not 2.16.2)', () => {
    expect(() => ContainerImage.tensorflowInference({ version: '2.16.2', processor: Processor.CPU })).toThrow(
      'ContainerImage.tensorflowInference: TensorFlow version "2.16.2" is not one whose registries this library knows. Supported: 2.13.0, 2.14.1, 2.16.1, 2.18.0, 2.19.0. Pick one of them, or give the image URI with ContainerImage.fromRegistry(uri).',
    );
  });

  test('a Python version the SDK does not list for the training version is an error', () => {
    expect(() => ContainerImage.tensorflowTraining({ version: '2.19.0', processor: Processor.CPU, pythonVersion: 'py310' })).toThrow(
      /ContainerImage\.tensorflowTraining: Python version for TensorFlow 2\.19\.0 "py310" is not one .* Supported: py312\./,
    );
  });

  test('a token version: training needs pythonVersion, then both pass the token through', () => {
    const version = Lazy.string({ produce: () => '2.16.2' });
    expect(() => ContainerImage.tensorflowTraining({ version, processor: Processor.CPU })).toThrow(
      /ContainerImage\.tensorflowTraining: the TensorFlow version is a token, so the image's Python version cannot be looked up\. Give pythonVersion too/,
    );
    expect(bound(ContainerImage.tensorflowTraining({ version, processor: Processor.CPU, pythonVersion: 'py310' }), stackIn('us-east-1')).uri).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.16.2-cpu-py310',
    );
    expect(bound(ContainerImage.tensorflowInference({ version: Lazy.string({ produce: () => '2.16.1' }), processor: Processor.CPU }), stackIn('us-east-1')).uri).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.16.1-cpu',
    );
  });

  test('env-agnostic stack: one TensorFlow mapping shared by training and inference, with both China regions', () => {
    const stack = envAgnosticStack();
    const role = newRole(stack);
    ContainerImage.tensorflowTraining({ version: '2.16.2', processor: Processor.CPU }).bind(stack, role);
    ContainerImage.tensorflowInference({ version: '2.16.1', processor: Processor.CPU }).bind(stack, role);
    const mappings = Template.fromStack(stack).toJSON().Mappings as Record<string, Record<string, { account: string }>>;
    expect(Object.keys(mappings)).toEqual(['SageMakerImageAccountsTensorFlow']);
    const mapping = mappings.SageMakerImageAccountsTensorFlow;
    expect(mapping['cn-north-1']).toEqual({ account: '727897471807' });
    expect(mapping['cn-northwest-1']).toEqual({ account: '727897471807' });
    expect(mapping['us-east-1']).toEqual({ account: '763104351884' });
    expect(Object.keys(mapping).sort()).toEqual(Object.keys({ ...TENSORFLOW_ACCOUNTS, ...TENSORFLOW_CHINA_ACCOUNTS }).sort());
  });

  test('the registry tables: the Deep Learning Containers accounts, well-formed versions', () => {
    expect(TENSORFLOW_CHINA_ACCOUNTS).toEqual({ 'cn-north-1': '727897471807', 'cn-northwest-1': '727897471807' });
    for (const [version, pythons] of Object.entries(TENSORFLOW_TRAINING_VERSIONS)) {
      expect(version).toMatch(/^2\.\d+\.\d+$/);
      expect(pythons.length).toBeGreaterThan(0);
      pythons.forEach((python) => expect(python).toMatch(/^py3\d+$/));
    }
    TENSORFLOW_INFERENCE_VERSIONS.forEach((version) => expect(version).toMatch(/^2\.\d+\.\d+$/));
  });
});

test('pulling the new images from a library role is clean under the IAM check', () => {
  const stack = testStack();
  const role = new SageMakerExecutionRole(stack, 'Role');
  ContainerImage.linearLearner().bind(stack, role);
  ContainerImage.tensorflowTraining({ version: '2.16.2', processor: Processor.GPU }).bind(stack, role);
  ContainerImage.tensorflowInference({ version: '2.16.1', processor: Processor.GPU }).bind(stack, role);
  expectLeastPrivilege(stack);
});

test('the local runner recognises the new repositories and says it does not emulate them', () => {
  const stack = stackIn('us-east-1');
  const role = newRole(stack);
  const cases: Array<[ContainerImage, string]> = [
    [ContainerImage.linearLearner(), 'linear-learner'],
    [ContainerImage.tensorflowTraining({ version: '2.16.2', processor: Processor.CPU }), 'tensorflow-training'],
    [ContainerImage.tensorflowInference({ version: '2.16.1', processor: Processor.CPU }), 'tensorflow-inference'],
  ];
  for (const [image, kind] of cases) {
    const info = classifyImage(stack.resolve(image.bind(stack, role).imageUri));
    expect(info.kind).toBe(kind);
    expect(info.emulation.gaps.join(' ')).toMatch(/^not emulated/);
  }
});
