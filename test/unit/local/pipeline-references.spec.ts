import { evaluate, findReferences, lookupPath, parsePath, type ReferenceScope } from '../../../lib/local/pipeline-references';

const PROPERTIES: Record<string, Record<string, unknown>> = {
  Preprocess: {
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: 's3://b/train/' } }, { OutputName: 'test', S3Output: { S3Uri: 's3://b/test/' } }] },
  },
  Train: { ModelArtifacts: { S3ModelArtifacts: 's3://b/model.tar.gz' }, FinalMetricDataList: [{ MetricName: 'validation:auc', Value: 0.8 }], HyperParameters: { max_depth: '5' } },
};

const scope: ReferenceScope = {
  parameter: (name) => ({ Threshold: 0.7, Mode: 'fast', Enabled: true } as Record<string, unknown>)[name],
  execution: (name) => (name === 'PipelineExecutionId' ? 'abc123abc123' : `exec-${name}`),
  stepProperties: (step) => {
    if (!PROPERTIES[step]) throw new Error(`step ${step} has not run`);
    return PROPERTIES[step];
  },
  propertyFile: (step, name) => ({ uri: `s3://b/${step}/${name}.json`, content: { metrics: { auc: { value: 0.91 } }, list: [{ v: 1 }, { v: 2 }] } }),
  jsonObject: (uri) => ({ uri, content: { a: { b: 'from-s3' } } }),
};

describe('property paths', () => {
  test('parses fields, indexes and quoted names', () => {
    expect(parsePath("ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")).toEqual([
      { kind: 'field', name: 'ProcessingOutputConfig' }, { kind: 'field', name: 'Outputs' }, { kind: 'key', key: 'train' },
      { kind: 'field', name: 'S3Output' }, { kind: 'field', name: 'S3Uri' },
    ]);
    expect(parsePath('a.b[0].c')).toEqual([{ kind: 'field', name: 'a' }, { kind: 'field', name: 'b' }, { kind: 'index', index: 0 }, { kind: 'field', name: 'c' }]);
    expect(() => parsePath('a..b')).toThrow('The path "a..b" is malformed at character 2: empty field name.');
    expect(() => parsePath('a[x]')).toThrow(/\[x\] is neither a number nor a quoted name/);
  });

  test("['name'] on a list selects the element whose …Name field matches; on an object the key", () => {
    expect(lookupPath(PROPERTIES.Train, parsePath("FinalMetricDataList['validation:auc'].Value"))).toEqual({ found: true, value: 0.8 });
    expect(lookupPath(PROPERTIES.Train, parsePath("HyperParameters['max_depth']"))).toEqual({ found: true, value: '5' });
    expect(lookupPath(PROPERTIES.Preprocess, parsePath("ProcessingOutputConfig.Outputs['nope'].S3Output"))).toEqual({
      found: false, at: 'ProcessingOutputConfig.Outputs', available: "a list of 2 ('train', 'test')",
    });
  });
});

describe('evaluate', () => {
  test('Get of parameters, execution variables and step properties', () => {
    expect(evaluate({ Get: 'Parameters.Threshold' }, scope)).toBe(0.7);
    expect(evaluate({ Get: 'Execution.PipelineExecutionId' }, scope)).toBe('abc123abc123');
    expect(evaluate({ a: [{ Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri" }] }, scope)).toEqual({ a: ['s3://b/test/'] });
    expect(evaluate({ Get: 'Steps.Train.FinalMetricDataList[0].MetricName' }, scope)).toBe('validation:auc');
  });

  test('a missing step property names the path and what is there', () => {
    expect(() => evaluate({ Get: 'Steps.Train.ModelArtifacts.S3Uri' }, scope)).toThrow(
      '{"Get": "Steps.Train.ModelArtifacts.S3Uri"}: step Train has no ModelArtifacts.S3Uri; at "ModelArtifacts" it has: S3ModelArtifacts.',
    );
    expect(() => evaluate({ Get: 'Somewhere.X' }, scope)).toThrow(/not a reference SageMaker Pipelines knows/);
  });

  test('Std:Join joins evaluated values with On', () => {
    expect(evaluate({ 'Std:Join': { On: '/', Values: [{ Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, 'x', 3, { Get: 'Parameters.Enabled' }] } }, scope)).toBe('s3://b/model.tar.gz/x/3/true');
    expect(evaluate({ 'Std:Join': { Values: ['a', 'b'] } }, scope)).toBe('ab');
  });

  test('Std:JsonGet reads a property file (or an S3 object) and follows the path', () => {
    expect(evaluate({ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.Report' }, Path: 'metrics.auc.value' } }, scope)).toBe(0.91);
    expect(evaluate({ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.Report' }, Path: 'list[1].v' } }, scope)).toBe(2);
    expect(evaluate({ 'Std:JsonGet': { S3Uri: { 'Std:Join': { On: '/', Values: ['s3://b', 'x.json'] } }, Path: 'a.b' } }, scope)).toBe('from-s3');
    expect(() => evaluate({ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.Report' }, Path: 'metrics.f1.value' } }, scope)).toThrow(
      'property file Report (s3://b/Evaluate/Report.json) has no "metrics.f1.value"; at "metrics" it has: auc',
    );
    expect(() => evaluate({ 'Std:JsonGet': { PropertyFile: 'Report', Path: 'a' } }, scope)).toThrow(/PropertyFile must be \{"Get": "Steps.<step>.PropertyFiles.<name>"\}/);
  });

  test('findReferences lists every Get, including those inside Std:Join and Std:JsonGet', () => {
    const refs = findReferences({
      a: { Get: 'Parameters.P' },
      b: { 'Std:Join': { On: '', Values: [{ Get: 'Steps.S.X' }, { Get: 'Execution.PipelineName' }] } },
      c: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.E.PropertyFiles.F' }, Path: 'x' } },
    });
    expect(refs).toEqual([
      { kind: 'Parameters', name: 'P' },
      { kind: 'Steps', step: 'S', path: 'X' },
      { kind: 'Execution', name: 'PipelineName' },
      { kind: 'Steps', step: 'E', path: 'PropertyFiles.F' },
    ]);
  });
});
