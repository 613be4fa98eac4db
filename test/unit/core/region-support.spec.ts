import * as fs from 'fs';
import * as path from 'path';
import { Size, Stack, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InstanceType } from '../../../lib/constructs/core';
import { Endpoint, EndpointVariant, InferenceComponent } from '../../../lib/constructs/hosting';
import { DataQualityMonitor, ModelBiasMonitor, ModelExplainabilityMonitor, ModelQualityMonitor, ProblemType } from '../../../lib/constructs/monitoring';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { MlNetwork } from '../../../lib/constructs/security';
import { Space, StudioDomain } from '../../../lib/constructs/studio';
import { UNAVAILABLE_RESOURCE_TYPES, assertResourceTypeAvailable, isResourceTypeAvailable } from '../../../lib/private/region-support';
import { envAgnosticStack, testApp, testStack } from '../../helpers';
import { hostingFixture, referenceEndpoint } from '../hosting/fixtures';

// Tests of lib/private/region-support.ts: the table of CloudFormation resource types the China
// regions lack, and the synth error of each construct that creates one of them there.

interface ValidateModule {
  CompositeEngine: new (config: object) => {
    validateTemplate(
      file: unknown,
      options: object,
    ): { diagnostics: Array<{ ruleId: string; entity?: { logicalId?: string } }> };
    free(): void;
  };
  TemplateContent: new (content: string, name: string) => unknown;
}

/**
 * aws-cdk-lib's CloudFormation validator (the schemas behind `@aws-cdk/core:validateAgainstDefaultRules`),
 * loaded from aws-cdk-lib's own dependencies.
 */
function validator(): ValidateModule {
  const resolved = require.resolve('@aws/cloudformation-validate', { paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as ValidateModule;
}

/** The resource types of `types` that the validator says do not exist in `region` (rule F3006). */
function missingIn(region: string, types: string[]): string[] {
  const module = validator();
  const engine = new module.CompositeEngine({});
  try {
    const template = { Resources: Object.fromEntries(types.map((type, i) => [`R${i}`, { Type: type, Properties: {} }])) };
    const report = engine.validateTemplate(new module.TemplateContent(JSON.stringify(template), 'template.json'), {
      detailLevel: 'STANDARD',
      pseudoParameterOverrides: { accountId: '123456789012', region },
      severityLevel: 'WARN',
    });
    return report.diagnostics.filter((d) => d.ruleId === 'F3006').map((d) => types[Number(d.entity!.logicalId!.slice(1))]);
  } finally {
    engine.free();
  }
}

/** Every AWS::SageMaker:: type the library's constructs create (`new sagemaker.Cfn<Type>(` in lib/). */
function sageMakerTypesTheLibraryCreates(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        for (const match of fs.readFileSync(full, 'utf-8').matchAll(/new sagemaker\.(Cfn[A-Za-z]+)\(/g)) {
          const cls = (sagemaker as unknown as Record<string, { CFN_RESOURCE_TYPE_NAME?: string }>)[match[1]];
          if (cls?.CFN_RESOURCE_TYPE_NAME) found.add(cls.CFN_RESOURCE_TYPE_NAME);
        }
      }
    }
  };
  walk(path.join(__dirname, '..', '..', '..', 'lib'));
  return [...found].sort();
}

function chinaStack(region = 'cn-north-1'): Stack {
  return testStack(testApp(), 'China', { env: { account: '123456789012', region } });
}

const CLOUDFORMATION_RULE = /which CloudFormation does not offer in region cn-north-1 \(the region's resource provider schemas have no such type: https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/resource-type-schemas\.html\)/;

describe('CloudFormation resource types by region', () => {
  test.each(['cn-north-1', 'cn-northwest-1'])('the table agrees with the %s resource provider schemas aws-cdk-lib validates against', (region) => {
    const listed = Object.entries(UNAVAILABLE_RESOURCE_TYPES)
      .filter(([, regions]) => regions.includes(region))
      .map(([type]) => type)
      .sort();
    expect(missingIn(region, Object.keys(UNAVAILABLE_RESOURCE_TYPES)).sort()).toEqual(listed);
    // Every SageMaker type the library creates that the table does not list exists in the region.
    const others = sageMakerTypesTheLibraryCreates().filter((type) => !listed.includes(type));
    expect(others).toEqual(expect.arrayContaining(['AWS::SageMaker::Endpoint', 'AWS::SageMaker::Pipeline']));
    expect(missingIn(region, others)).toEqual([]);
  });

  test('the listed types all exist in the commercial partition (us-east-1)', () => {
    expect(missingIn('us-east-1', Object.keys(UNAVAILABLE_RESOURCE_TYPES))).toEqual([]);
  });

  test('availability: a concrete China region lacks the types, commercial regions and env-agnostic stacks do not', () => {
    expect(isResourceTypeAvailable(chinaStack(), 'AWS::SageMaker::InferenceComponent')).toBe(false);
    expect(isResourceTypeAvailable(chinaStack('cn-northwest-1'), 'AWS::SageMaker::ModelPackageGroup')).toBe(false);
    expect(isResourceTypeAvailable(chinaStack(), 'AWS::SageMaker::Endpoint')).toBe(true);
    expect(isResourceTypeAvailable(testStack(), 'AWS::SageMaker::InferenceComponent')).toBe(true);
    expect(isResourceTypeAvailable(envAgnosticStack(), 'AWS::SageMaker::InferenceComponent')).toBe(true);
  });

  test('the error names the construct, the region, the type, the source and the fix', () => {
    const stack = chinaStack();
    const scope = new Construct(stack, 'Thing');
    expect(() => assertResourceTypeAvailable(scope, 'AWS::SageMaker::Space', 'A Studio space', 'Do this instead.')).toThrow(
      /^\[China\/Thing\] A Studio space needs the CloudFormation resource type AWS::SageMaker::Space, which CloudFormation does not offer in region cn-north-1 .*\. Do this instead\.$/,
    );
    expect(() => assertResourceTypeAvailable(new Construct(testStack(), 'Thing'), 'AWS::SageMaker::Space', 'A Studio space', 'Do this instead.')).not.toThrow();
  });
});

describe('constructs whose resource type the China regions lack fail at synth there', () => {
  test('ModelPackageGroup', () => {
    expect(() => new ModelPackageGroup(chinaStack(), 'Registry', { modelPackageGroupName: 'loan-default' })).toThrow(
      /\[China\/Registry\] Model package group loan-default needs the CloudFormation resource type AWS::SageMaker::ModelPackageGroup.*ModelPackageGroup\.fromModelPackageGroupName/,
    );
    expect(() => new ModelPackageGroup(chinaStack(), 'Registry', { modelPackageGroupName: 'loan-default' })).toThrow(CLOUDFORMATION_RULE);
    // The fix works: an imported group needs no resource.
    expect(ModelPackageGroup.fromModelPackageGroupName(chinaStack(), 'Registry', 'loan-default').modelPackageGroupName).toBe('loan-default');
  });

  test('DataQualityMonitor', () => {
    const stack = chinaStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(() => new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket })).toThrow(
      /\[China\/Drift\] A data quality monitor needs the CloudFormation resource type AWS::SageMaker::DataQualityJobDefinition/,
    );
  });

  test('ModelQualityMonitor', () => {
    const stack = chinaStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(
      () => new ModelQualityMonitor(stack, 'Quality', { endpoint, outputBucket: bucket, problemType: ProblemType.BINARY_CLASSIFICATION, groundTruthBucket: bucket, groundTruthPrefix: 'gt/' }),
    ).toThrow(/\[China\/Quality\] A model quality monitor needs the CloudFormation resource type AWS::SageMaker::ModelQualityJobDefinition/);
  });

  test('ModelBiasMonitor', () => {
    const stack = chinaStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(
      () =>
        new ModelBiasMonitor(stack, 'Bias', {
          endpoint,
          outputBucket: bucket,
          headers: ['age', 'income'],
          label: 'default',
          labelValuesOrThreshold: ['1'],
          facets: [{ nameOrIndex: 'age', valuesOrThreshold: ['60'] }],
          groundTruthBucket: bucket,
          groundTruthPrefix: 'gt/',
        }),
    ).toThrow(/\[China\/Bias\] A model bias monitor needs the CloudFormation resource type AWS::SageMaker::ModelBiasJobDefinition/);
  });

  test('ModelExplainabilityMonitor', () => {
    const stack = chinaStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(() => new ModelExplainabilityMonitor(stack, 'Shap', { endpoint, outputBucket: bucket, headers: ['age', 'income'], shapBaseline: [['40', '55000']] })).toThrow(
      /\[China\/Shap\] A model explainability monitor needs the CloudFormation resource type AWS::SageMaker::ModelExplainabilityJobDefinition/,
    );
  });

  test('InferenceComponent', () => {
    const stack = chinaStack();
    const { key, model } = hostingFixture(stack);
    const endpoint = new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.forInferenceComponents({ instanceType: InstanceType.ML_C5_XLARGE, minInstanceCount: 0, maxInstanceCount: 2 })],
      encryptionKey: key,
    });
    expect(() => new InferenceComponent(stack, 'Scoring', { endpoint, model, computeResources: { cpuCores: 1, minMemory: Size.gibibytes(1) } })).toThrow(
      /\[China\/Scoring\] An inference component needs the CloudFormation resource type AWS::SageMaker::InferenceComponent/,
    );
  });

  test('Space', () => {
    const stack = chinaStack();
    const domain = new StudioDomain(stack, 'Studio', { network: new MlNetwork(stack, 'Network') });
    const owner = domain.addUserProfile('Alice', { userProfileName: 'alice' });
    expect(() => new Space(stack, 'Space', { domain, owner })).toThrow(/\[China\/Space\] A Studio space needs the CloudFormation resource type AWS::SageMaker::Space/);
  });
});
