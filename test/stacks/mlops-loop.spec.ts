import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExampleProfileStacks, buildExampleApp } from '../../lib/stacks';
import { testApp } from '../helpers';
import { sharedCpuProfile } from './shared-example';

type Json = Record<string, any>;

/**
 * The CPU profile's MLOps loop, end to end through the templates: an approval in the training
 * stack's registry starts the promotion pipeline, whose deploy actions set the very parameter of
 * the inference stacks that selects the served version, and the production monitor's violations
 * start the training pipeline again.
 */
describe('example app: the MLOps loop (CPU profile)', () => {
  let cpu: ExampleProfileStacks;
  beforeAll(() => {
    cpu = sharedCpuProfile();
  });

  const template = (stack: Stack): Json => Template.fromStack(stack).toJSON();

  function deployActions(): Record<string, Record<string, string>> {
    const pipelines = Object.values(template(cpu.promotion!).Resources as Json).filter((r: Json) => r.Type === 'AWS::CodePipeline::Pipeline');
    expect(pipelines).toHaveLength(1);
    const result: Record<string, Record<string, string>> = {};
    for (const stage of pipelines[0].Properties.Stages as Json[]) {
      for (const action of stage.Actions as Json[]) {
        if (action.Name !== 'Deploy') continue;
        const variables = JSON.parse(action.Configuration.EnvironmentVariables as string) as Array<{ name: string; value: string }>;
        result[stage.Name] = Object.fromEntries(variables.map((v) => [v.name, v.value]));
      }
    }
    return result;
  }

  /** The served version of `stack`'s model: the resolver resource its container reads, and that resource's properties. */
  function servedVersion(stack: Stack, modelId: string): Json {
    const resources = template(stack).Resources as Json;
    const [, model] = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::SageMaker::Model' && id.startsWith(modelId))!;
    const name = model.Properties.Containers[0].ModelPackageName;
    expect(name['Fn::GetAtt'][1]).toBe('ModelPackageArn');
    return resources[name['Fn::GetAtt'][0]].Properties;
  }

  test('staging and production serve the version their ModelVersionArn parameter names, newest approved when empty', () => {
    for (const stack of [cpu.staging!, cpu.inference]) {
      expect(template(stack).Parameters.ModelVersionArn).toMatchObject({ Type: 'String', Default: '' });
      expect(servedVersion(stack, 'Model')).toMatchObject({ ModelPackageGroupName: 'loan-default-cpu', RequestedVersionArn: { Ref: 'ModelVersionArn' } });
    }
    // The serverless endpoint's model serves the same version.
    expect(servedVersion(cpu.inference, 'ServerlessModel')).toMatchObject({ RequestedVersionArn: { Ref: 'ModelVersionArn' } });
  });

  test('the promotion deploys to staging, then the same version to production, through those parameters', () => {
    const actions = deployActions();
    expect(actions.Staging).toMatchObject({ STACK_NAME: cpu.staging!.stackName, PARAMETER_NAME: 'ModelVersionArn' });
    expect(actions.Production).toMatchObject({
      STACK_NAME: cpu.inference.stackName,
      PARAMETER_NAME: 'ModelVersionArn',
      MODEL_PACKAGE_ARN: '#{StagingDeploy.MODEL_PACKAGE_ARN}',
    });
    expect(cpu.staging!.modelVersion.parameterName).toBe('ModelVersionArn');
    const stages = (Object.values(template(cpu.promotion!).Resources as Json).find((r: Json) => r.Type === 'AWS::CodePipeline::Pipeline') as Json).Properties.Stages as Json[];
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Staging', 'Approval', 'Production']);
    expect((stages[1].Actions as Json[]).map((a) => a.Name)).toEqual(['Deploy', 'SmokeTest']);
  });

  test('an approval of a version in the training stack registry starts the promotion pipeline', () => {
    const rules = Object.values(template(cpu.promotion!).Resources as Json).filter((r: Json) => r.Type === 'AWS::Events::Rule');
    const approval = rules.find((r: Json) => JSON.stringify(r.Properties.EventPattern).includes('"Approved"'))!;
    expect(approval.Properties.EventPattern).toMatchObject({
      'source': ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
      'detail': { ModelPackageGroupName: ['loan-default-cpu'], ModelApprovalStatus: ['Approved'] },
    });
    expect(JSON.stringify(approval.Properties.Targets[0].Arn)).toContain('codepipeline');
  });

  test("violations found by the production endpoint's data quality monitor start the training pipeline", () => {
    const schedule = cpu.inference.monitor!.monitoringScheduleName;
    const rules = Object.values(template(cpu.training).Resources as Json).filter((r: Json) => r.Type === 'AWS::Events::Rule');
    const retrain = rules.find((r: Json) => JSON.stringify(r.Properties.EventPattern ?? {}).includes(schedule))!;
    expect(retrain).toBeDefined();
    expect(retrain.Properties.EventPattern.detail.ProcessingJobStatus).toEqual(['Completed']);
    expect(Stack.of(cpu.training).resolve(retrain.Properties.Targets[0].Arn)).toEqual(Stack.of(cpu.training).resolve(cpu.training.pipeline.pipelineArn));
  });

  test('the GPU profile serves from its registry too, without staging or promotion', () => {
    const { gpu } = buildExampleApp(testApp(), { profile: 'gpu' });
    expect(gpu.staging).toBeUndefined();
    expect(gpu.promotion).toBeUndefined();
    expect(servedVersion(gpu.inference, 'Model')).toMatchObject({ ModelPackageGroupName: 'loan-default-gpu' });
  });
});
