import { JobOutput } from '../../../lib/constructs/jobs';
import { renderParameters } from '../../../lib/constructs/workflows/parameters-renderer';
import { testStack } from '../../helpers';
import { loanDefaultJobs } from './support';

describe('renderParameters', () => {
  const stack = testStack();
  const jobs = loanDefaultJobs(stack);
  const model = jobs.train.modelArtifacts;
  const split = new JobOutput(jobs.prep, 'train', jobs.data, 'prepared/train/', "ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri");
  const earlier = { resultPathOfJob: (path: string) => (path === jobs.train.node.path ? '$.Train' : path === jobs.prep.node.path ? '$.Prep' : undefined) };
  const render = (request: object) => stack.resolve(renderParameters(stack, request, earlier));

  test('a whole reference to an earlier state becomes a JSONPath under a ".$" key', () => {
    expect(render({ S3Uri: model.uri })).toEqual({ 'S3Uri.$': '$.Train.ModelArtifacts.S3ModelArtifacts' });
  });

  test('a reference inside text becomes States.Format with escaped literals', () => {
    expect(render({ Arg: `--model={'${model.uri}'}` })).toEqual({ 'Arg.$': "States.Format('--model=\\{\\'{}\\'\\}', $.Train.ModelArtifacts.S3ModelArtifacts)" });
  });

  test('text with CDK tokens and a reference keeps the tokens for CloudFormation', () => {
    const rendered = render({ Uri: `s3://${jobs.data.bucketName}/x/${model.uri}` }) as Record<string, unknown>;
    expect(rendered['Uri.$']).toEqual({ 'Fn::Join': ['', ["States.Format('s3://", stack.resolve(jobs.data.bucketName), "/x/{}', $.Train.ModelArtifacts.S3ModelArtifacts)"]] });
  });

  test('outputs whose Describe path is not a plain path (processing outputs) render as their configured URI', () => {
    expect(render({ S3Uri: split.uri })).toEqual({ S3Uri: { 'Fn::Join': ['', ['s3://', stack.resolve(jobs.data.bucketName), '/prepared/train/']] } });
  });

  test('lists with run-time values become States.Array', () => {
    expect(render({ Args: ['--model', model.uri] })).toEqual({ 'Args.$': "States.Array('--model', $.Train.ModelArtifacts.S3ModelArtifacts)" });
  });

  test('lists of objects are rendered item by item; undefined fields dropped', () => {
    expect(render({ Inputs: [{ Uri: model.uri, Mode: 'File', Skip: undefined }] })).toEqual({ Inputs: [{ 'Uri.$': '$.Train.ModelArtifacts.S3ModelArtifacts', Mode: 'File' }] });
  });

  test('lists mixing run-time values and non-strings are rejected', () => {
    expect(() => render({ Args: [1, model.uri] })).toThrow(/a list that holds a value known only at run time may hold only strings/);
  });
});
