import { Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage } from '../../../lib/constructs/core';
import { envAgnosticStack, testApp, testStack } from '../../helpers';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

function uriIn(image: ContainerImage, stack: Stack = testStack()): unknown {
  const role = new iam.Role(stack, `Role${stack.node.children.length}`, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  return stack.resolve(image.bind(stack, role).imageUri);
}

describe('pinning the Model Monitor analyzer and Clarify images', () => {
  test('defaults: the analyzer at latest (no versioned tag is documented), Clarify at 1.0', () => {
    expect(uriIn(ContainerImage.modelMonitorAnalyzer())).toBe('156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest');
    expect(uriIn(ContainerImage.clarify())).toBe('205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0');
  });

  test('a digest renders <repository>@sha256:..., a tag <repository>:<tag>', () => {
    expect(uriIn(ContainerImage.modelMonitorAnalyzer({ digest: DIGEST }))).toBe(`156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer@${DIGEST}`);
    expect(uriIn(ContainerImage.modelMonitorAnalyzer({ tag: 'my-pin.1' }))).toBe('156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer:my-pin.1');
    expect(uriIn(ContainerImage.clarify({ digest: DIGEST }))).toBe(`205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing@${DIGEST}`);
  });

  test('the pull grant is the same repository whether pinned by tag or digest', () => {
    const stack = testStack();
    uriIn(ContainerImage.modelMonitorAnalyzer({ digest: DIGEST }), stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Effect: 'Allow', Resource: 'arn:aws:ecr:us-east-1:156813124566:repository/sagemaker-model-monitor-analyzer' }, { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' }] },
    });
  });

  test('both a tag and a digest', () => {
    expect(() => ContainerImage.modelMonitorAnalyzer({ tag: 'x', digest: DIGEST })).toThrow(/^ContainerImage.modelMonitorAnalyzer: both tag "x" and digest "sha256:.*" are given, but an image URI names one of them; give either the tag or the digest\.$/);
  });

  test('a digest that is not sha256 and 64 hex digits', () => {
    expect(() => ContainerImage.modelMonitorAnalyzer({ digest: 'sha256:abc' })).toThrow(/^ContainerImage.modelMonitorAnalyzer: digest "sha256:abc" is not an image digest; give "sha256:" followed by 64 hex digits/);
    expect(() => ContainerImage.clarify({ digest: `md5:${'a'.repeat(64)}` })).toThrow(/^ContainerImage.clarify: digest "md5:a+" is not an image digest/);
  });

  test('a tag Docker does not accept', () => {
    expect(() => ContainerImage.modelMonitorAnalyzer({ tag: '-bad' })).toThrow(/^ContainerImage.modelMonitorAnalyzer: tag "-bad" is not a valid image tag; a tag is 1 to 128 letters, digits/);
    expect(() => ContainerImage.modelMonitorAnalyzer({ tag: '' })).toThrow(/tag "" is not a valid image tag/);
    expect(() => ContainerImage.clarify({ tag: 'a'.repeat(129) })).toThrow(/is not a valid image tag/);
  });

  test('tokens pass unchecked', () => {
    const digest = Token.asString({ Ref: 'AnalyzerDigest' });
    expect(JSON.stringify(uriIn(ContainerImage.modelMonitorAnalyzer({ digest })))).toContain('sagemaker-model-monitor-analyzer@');
    expect(() => ContainerImage.clarify({ tag: Token.asString({ Ref: 'ClarifyTag' }) })).not.toThrow();
  });
});

describe('China regions (SDK model-monitor.json and clarify.json)', () => {
  const china = (region: string) => testStack(testApp(), `China${region.replace(/-/g, '')}`, { env: { account: '123456789012', region } });

  test('the amazonaws.com.cn registry domain and the aws-cn partition in the pull grant', () => {
    const stack = china('cn-north-1');
    expect(uriIn(ContainerImage.modelMonitorAnalyzer(), stack)).toBe('453000072557.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer:latest');
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const pull = statements.find((s: any) => [s.Action].flat().includes('ecr:BatchGetImage')).Resource;
    expect(pull).toBe('arn:aws-cn:ecr:cn-north-1:453000072557:repository/sagemaker-model-monitor-analyzer');
  });

  test('cn-northwest-1 accounts', () => {
    expect(uriIn(ContainerImage.modelMonitorAnalyzer(), china('cn-northwest-1'))).toBe('453252182341.dkr.ecr.cn-northwest-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer:latest');
    expect(uriIn(ContainerImage.clarify(), china('cn-northwest-1'))).toBe('122578899357.dkr.ecr.cn-northwest-1.amazonaws.com.cn/sagemaker-clarify-processing:1.0');
    expect(uriIn(ContainerImage.clarify(), china('cn-north-1'))).toBe('122526803553.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-clarify-processing:1.0');
  });

  test('an env-agnostic stack maps the China regions too (AWS::URLSuffix gives the domain at deploy time)', () => {
    const stack = envAgnosticStack();
    uriIn(ContainerImage.modelMonitorAnalyzer(), stack);
    const mappings = Template.fromStack(stack).toJSON().Mappings.SageMakerImageAccountsModelMonitor;
    expect(mappings['cn-north-1']).toEqual({ account: '453000072557' });
    expect(mappings['cn-northwest-1']).toEqual({ account: '453252182341' });
    expect(mappings['us-east-1']).toEqual({ account: '156813124566' });
  });
});
