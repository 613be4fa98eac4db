import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage } from '../../../lib/constructs/core';
import { S3Location } from '../../../lib/constructs/jobs';
import {
  ClarifyCheckJob,
  ClarifyCheckJobProps,
  ClarifyCheckStep,
  ClarifyCheckType,
  ClarifyConfigWriter,
  ClarifyValues,
  MlPipeline,
  PipelineParameter,
  PreTrainingBiasMethod,
  RegisterModelStep,
} from '../../../lib/constructs/pipelines';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { MlKey, MlNetwork, SageMakerExecutionRole, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, pipelineSchemaAvailable, pipelineSchemaErrors, testApp, testStack } from '../../helpers';

const HEADERS = ['default', 'age', 'gender', 'income', 'region'];

function setup(stack: Stack = testStack(), overrides: Partial<ClarifyCheckJobProps> = {}) {
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const group = new ModelPackageGroup(stack, 'Group');
  const check = new ClarifyCheckJob(stack, 'BiasCheck', {
    checkType: ClarifyCheckType.DATA_BIAS,
    dataset: S3Location.fromBucket(data, 'prepared/train/train.csv'),
    headers: HEADERS,
    label: 'default',
    labelValues: ClarifyValues.numbers([1]),
    facets: [{ name: 'gender', values: ClarifyValues.text(['female']) }],
    outputBucket: data,
    configPrefix: 'clarify/bias/',
    ...overrides,
  });
  return { stack, key, data, group, check };
}

describe('ClarifyCheckJob analysis configuration', () => {
  test('renders the SDK DataBiasCheckConfig: data config, bias config, pre-training methods and the report', () => {
    const { check } = setup();
    expect(check.renderAnalysisConfig()).toEqual({
      dataset_type: 'text/csv',
      headers: HEADERS,
      label: 'default',
      label_values_or_threshold: [1],
      facet: [{ name_or_index: 'gender', value_or_threshold: ['female'] }],
      methods: { pre_training_bias: { methods: 'all' }, report: { name: 'report', title: 'Analysis Report' } },
    });
  });

  test('chosen methods, a threshold facet, a facet without values and a group variable', () => {
    const { check } = setup(undefined, {
      facets: [{ name: 'age', values: ClarifyValues.threshold(40) }, { name: 'region' }],
      groupVariable: 'income',
      methods: [PreTrainingBiasMethod.CI, PreTrainingBiasMethod.DPL, PreTrainingBiasMethod.CDDL],
      headers: undefined,
    });
    const config = check.renderAnalysisConfig() as any;
    expect(config.headers).toBeUndefined();
    expect(config.facet).toEqual([{ name_or_index: 'age', value_or_threshold: [40] }, { name_or_index: 'region' }]);
    expect(config.group_variable).toBe('income');
    expect(config.methods).toEqual({ pre_training_bias: { methods: ['CI', 'DPL', 'CDDL'] }, report: { name: 'report', title: 'Analysis Report' } });
  });

  test('the custom resource writes exactly that JSON to <configPrefix>analysis_config.json', () => {
    const { stack, data, check } = setup();
    const template = Template.fromStack(stack);
    const resources = template.findResources('Custom::ClarifyAnalysisConfig');
    expect(Object.keys(resources)).toHaveLength(1);
    const properties = Object.values(resources)[0].Properties;
    expect(properties.Key).toBe('clarify/bias/analysis_config.json');
    expect(properties.Bucket).toEqual(stack.resolve(data.bucketName));
    expect(JSON.parse(properties.Body)).toEqual(check.renderAnalysisConfig());
  });

  test('the default configuration prefix is unique per check', () => {
    const stack = testStack();
    const data = new SecureBucket(stack, 'Data');
    const props: ClarifyCheckJobProps = {
      checkType: ClarifyCheckType.DATA_BIAS,
      dataset: S3Location.fromBucket(data, 'train.csv'),
      label: 'default',
      labelValues: ClarifyValues.numbers([1]),
      facets: [{ name: 'gender' }],
      outputBucket: data,
    };
    new ClarifyCheckJob(stack, 'First', props);
    new ClarifyCheckJob(stack, 'Second', props);
    const keys = Object.values(Template.fromStack(stack).findResources('Custom::ClarifyAnalysisConfig')).map((r) => r.Properties.Key as string);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    for (const key of keys) expect(key).toMatch(/^clarify-check\/config\/[A-Za-z0-9]+\/analysis_config\.json$/);
  });

  test('one writer per stack; its handler may write and delete exactly the configuration objects and encrypt with the bucket key', () => {
    const stack = testStack();
    const { data } = setup(stack);
    new ClarifyCheckJob(stack, 'Other', {
      checkType: ClarifyCheckType.DATA_BIAS,
      dataset: S3Location.fromBucket(data, 'other.csv'),
      label: 'default',
      labelValues: ClarifyValues.numbers([1]),
      facets: [{ name: 'age', values: ClarifyValues.threshold(40) }],
      outputBucket: data,
      configPrefix: 'clarify/other/',
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 2); // the handler and the Provider framework's function
    const handlerPolicy = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(([id]) => id.startsWith('ClarifyConfigWriterOnEventRolePolicy'))![1];
    const statements = handlerPolicy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
    const object = (key: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Data/), 'Arn'] }, `/${key}`]] });
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('s3:'))).toEqual([
      expect.objectContaining({ Action: ['s3:DeleteObject', 's3:PutObject'], Resource: [object('clarify/bias/analysis_config.json'), object('clarify/other/analysis_config.json')] }),
    ]);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('kms:'))).toEqual([
      expect.objectContaining({ Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } }),
    ]);
  });

  test('a check in a network creates the writer in that network', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    setup(stack, { network });
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Handler: 'write-analysis-config.onEvent' } });
    expect(Object.values(functions)[0].Properties.VpcConfig).toBeDefined();
  });

  test('a writer created by hand is the one the checks use; a second one is refused', () => {
    const stack = testStack();
    const writer = new ClarifyConfigWriter(stack, 'ClarifyConfigWriter');
    setup(stack);
    expect(ClarifyConfigWriter.of(stack)).toBe(writer);
    expect(() => new ClarifyConfigWriter(stack, 'Another')).toThrow(/\[TestStack\/Another\] stack TestStack already has a ClarifyConfigWriter \(TestStack\/ClarifyConfigWriter\); one writer serves every Clarify check of a stack/);
  });

  test('writer security groups need a vpc', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    expect(() => new ClarifyConfigWriter(stack, 'Writer', { securityGroups: [network.handlersSecurityGroup] })).toThrow(/\[TestStack\/Writer\] vpcSubnets and securityGroups need vpc/);
  });
});

describe('ClarifyCheckStep rendering', () => {
  test('renders the SDK ClarifyCheckStep: Clarify request, check fields, references and the register step baselines', () => {
    const { stack, data, group, check } = setup();
    const step = new ClarifyCheckStep('DataBias', check, { skipCheck: true, registerNewBaseline: true, modelPackageGroup: group });
    const register = new RegisterModelStep('Register', {
      modelPackageGroup: group,
      image: ContainerImage.xgboost('1.7-1'),
      modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
      role: new SageMakerExecutionRole(stack, 'ModelRole'),
      driftCheckBaselines: { bias: step },
    });
    const pipeline = new MlPipeline(stack, 'Pipeline', { steps: [step, register] });
    const definition = pipeline.renderDefinitionJson() as any;
    const [bias, reg] = definition.Steps;
    expect(bias).toMatchObject({
      Name: 'DataBias',
      Type: 'ClarifyCheck',
      CheckType: 'DATA_BIAS',
      ModelPackageGroupName: stack.resolve(group.modelPackageGroupName),
      SkipCheck: true,
      RegisterNewBaseline: true,
    });
    expect(bias.SuppliedBaselineConstraints).toBeUndefined();
    expect(bias.Arguments.ProcessingJobName).toBeUndefined();
    expect(bias.Arguments.AppSpecification.ContainerEntrypoint).toBeUndefined();
    expect(JSON.stringify(bias.Arguments.AppSpecification.ImageUri)).toContain('sagemaker-clarify-processing:1.0');
    expect(bias.Arguments.ProcessingInputs).toEqual([
      {
        InputName: 'analysis_config',
        S3Input: {
          S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^Data/) }, '/clarify/bias/analysis_config.json']] },
          LocalPath: '/opt/ml/processing/input/config',
          S3DataType: 'S3Prefix',
          S3InputMode: 'File',
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      expect.objectContaining({ InputName: 'dataset', S3Input: expect.objectContaining({ LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix' }) }),
    ]);
    expect(bias.Arguments.ProcessingOutputConfig.Outputs).toEqual([
      expect.objectContaining({ OutputName: 'analysis_result', S3Output: expect.objectContaining({ LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' }) }),
    ]);
    expect(JSON.stringify(bias.Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri)).toContain('"Get":"Execution.PipelineExecutionId"');

    const json = (property: string) => ({ ContentType: 'application/json', S3Uri: { Get: `Steps.DataBias.${property}` } });
    expect(reg.Arguments.ModelMetrics).toEqual({ Bias: { PreTrainingReport: json('CalculatedBaselineConstraints') } });
    expect(reg.Arguments.DriftCheckBaselines).toEqual({ Bias: { PreTrainingConstraints: json('BaselineUsedForDriftCheckConstraints') } });
    if (pipelineSchemaAvailable()) expect(pipelineSchemaErrors(definition)).toEqual([]);
    else console.warn('SKIPPED pipeline schema check: ../shared/schemas is not there');
  });

  test('the pipeline resource depends on the configuration file', () => {
    const { stack, check } = setup();
    new MlPipeline(stack, 'Pipeline', { steps: [new ClarifyCheckStep('DataBias', check, { skipCheck: true, registerNewBaseline: true })] });
    const template = Template.fromStack(stack);
    const configId = Object.keys(template.findResources('Custom::ClarifyAnalysisConfig'))[0];
    const pipeline = Object.values(template.findResources('AWS::SageMaker::Pipeline'))[0];
    expect(pipeline.DependsOn).toContain(configId);
  });

  test('a supplied baseline and a pipeline parameter pass through; the job reads the baseline', () => {
    const { stack, data, check } = setup();
    const skip = PipelineParameter.ofBoolean('SkipBiasCheck', false);
    const step = new ClarifyCheckStep('DataBias', check, {
      suppliedBaselineConstraints: S3Location.fromBucket(data, 'baselines/analysis.json'),
      skipCheck: skip as unknown as boolean,
    });
    const definition = new MlPipeline(stack, 'Pipeline', { steps: [step] }).renderDefinitionJson() as any;
    expect(JSON.stringify(definition.Steps[0].SuppliedBaselineConstraints)).toContain('/baselines/analysis.json');
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))).toContain('baselines/analysis.json');
  });

  test('the pipeline role runs the Clarify jobs, passes its role and reads the group', () => {
    const { stack, group, check } = setup();
    new MlPipeline(stack, 'Pipeline', { steps: [new ClarifyCheckStep('DataBias', check, { modelPackageGroup: group })] });
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('sagemaker:CreateProcessingJob');
    expect(policies).toContain(':processing-job/pipelines-*');
    expect(policies).toContain('iam:PassRole');
    expect(policies).toContain('sagemaker:ListModelPackages');
  });
});

describe('ClarifyCheck under the nag packs and the IAM check', () => {
  test('a data bias check and a register step with its baseline are clean', () => {
    const app = testApp();
    const stack = testStack(app);
    const { data, group, check } = setup(stack);
    const step = new ClarifyCheckStep('DataBias', check, { skipCheck: true, registerNewBaseline: true });
    new MlPipeline(stack, 'Pipeline', {
      steps: [step, new RegisterModelStep('Register', {
        modelPackageGroup: group,
        image: ContainerImage.xgboost('1.7-1'),
        modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
        role: new SageMakerExecutionRole(stack, 'ModelRole'),
        driftCheckBaselines: { bias: step },
      })],
    });
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});

describe('ClarifyCheckJob validation', () => {
  function job(overrides: Partial<ClarifyCheckJobProps>) {
    const stack = testStack();
    return () => setup(stack, overrides);
  }

  test.each([ClarifyCheckType.MODEL_BIAS, ClarifyCheckType.MODEL_EXPLAINABILITY])('%s is refused', (checkType) => {
    expect(job({ checkType })).toThrow(new RegExp(`\\[TestStack/BiasCheck\\] checkType ${checkType} is not supported: it needs a model configuration and a shadow endpoint`));
  });

  test('no facets', () => {
    expect(job({ facets: [] })).toThrow(/\[TestStack\/BiasCheck\] facets is empty, so there is no sensitive attribute to measure bias for/);
  });

  test('empty headers', () => {
    expect(job({ headers: [] })).toThrow(/headers is empty; give the column names of the CSV files in order, or leave headers unset/);
  });

  test('label not in headers', () => {
    expect(job({ label: 'target' })).toThrow(/label "target" is not one of the headers \(default, age, gender, income, region\); give a column name from headers/);
  });

  test('facet not in headers', () => {
    expect(job({ facets: [{ name: 'sex' }] })).toThrow(/facets\[0\].name "sex" is not one of the headers/);
  });

  test('group variable not in headers', () => {
    expect(job({ groupVariable: 'zip' })).toThrow(/groupVariable "zip" is not one of the headers/);
  });

  test('empty label', () => {
    expect(job({ label: ' ' })).toThrow(/label is empty; give the label \(target\) column/);
  });

  test('no label values', () => {
    expect(job({ labelValues: ClarifyValues.numbers([]) })).toThrow(/labelValues is empty; give the label values of the positive outcome/);
  });

  test('a facet with an empty value list', () => {
    expect(job({ facets: [{ name: 'gender', values: ClarifyValues.text([]) }] })).toThrow(/facets\[0\].values is empty; leave it unset to compare every value of "gender"/);
  });

  test('the label as a facet', () => {
    expect(job({ facets: [{ name: 'default' }] })).toThrow(/facets\[0\] is the label column "default"; a facet is a sensitive attribute of the data, not the label/);
  });

  test('a pipeline parameter in the configuration', () => {
    const label = PipelineParameter.ofString('Label', 'default');
    expect(job({ label: label.toString(), headers: undefined })).toThrow(/label holds a pipeline parameter or step property, but the analysis configuration is written at deploy time/);
  });
});

describe('ClarifyCheckStep validation', () => {
  test('a drift check with no previous baseline is refused', () => {
    const { check } = setup();
    expect(() => new ClarifyCheckStep('DataBias', check, { registerNewBaseline: true })).toThrow(
      /Pipeline step "DataBias": skipCheck is false, so SageMaker needs a previous baseline, but there is none: supply suppliedBaselineConstraints, or a modelPackageGroup .*or set skipCheck: true and registerNewBaseline: true for the first run/,
    );
  });

  test('keeping the previous baseline (registerNewBaseline false) needs one too', () => {
    const { check } = setup();
    expect(() => new ClarifyCheckStep('DataBias', check, { skipCheck: true })).toThrow(/Pipeline step "DataBias": registerNewBaseline is false, so SageMaker needs a previous baseline/);
  });
});
