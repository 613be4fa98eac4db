import { evaluateCondition, evaluateConditions } from '../../../lib/local/pipeline-conditions';
import type { ReferenceScope } from '../../../lib/local/pipeline-references';

const scope: ReferenceScope = {
  parameter: (name) => ({ Threshold: 0.7, Mode: 'fast', Depth: 5 } as Record<string, unknown>)[name],
  execution: () => 'x',
  stepProperties: () => ({ Outcome: 'True' }),
  propertyFile: () => ({ uri: 's3://b/f.json', content: { auc: 0.8 } }),
  jsonObject: () => ({ uri: '', content: {} }),
};
const auc = { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.E.PropertyFiles.R' }, Path: 'auc' } };
const threshold = { Get: 'Parameters.Threshold' };

describe('conditions', () => {
  test('Equals', () => {
    expect(evaluateCondition({ Type: 'Equals', LeftValue: { Get: 'Parameters.Mode' }, RightValue: 'fast' }, scope)).toBe(true);
    expect(evaluateCondition({ Type: 'Equals', LeftValue: { Get: 'Parameters.Depth' }, RightValue: 6 }, scope)).toBe(false);
    expect(evaluateCondition({ Type: 'Equals', LeftValue: { Get: 'Steps.C.Outcome' }, RightValue: 'True' }, scope)).toBe(true);
  });
  test('GreaterThan', () => {
    expect(evaluateCondition({ Type: 'GreaterThan', LeftValue: auc, RightValue: threshold }, scope)).toBe(true);
    expect(evaluateCondition({ Type: 'GreaterThan', LeftValue: 0.7, RightValue: threshold }, scope)).toBe(false);
  });
  test('GreaterThanOrEqualTo', () => {
    expect(evaluateCondition({ Type: 'GreaterThanOrEqualTo', LeftValue: 0.7, RightValue: threshold }, scope)).toBe(true);
    expect(evaluateCondition({ Type: 'GreaterThanOrEqualTo', LeftValue: 0.69, RightValue: threshold }, scope)).toBe(false);
  });
  test('LessThan', () => {
    expect(evaluateCondition({ Type: 'LessThan', LeftValue: { Get: 'Parameters.Depth' }, RightValue: 10 }, scope)).toBe(true);
    expect(evaluateCondition({ Type: 'LessThan', LeftValue: 10, RightValue: 10 }, scope)).toBe(false);
  });
  test('LessThanOrEqualTo', () => {
    expect(evaluateCondition({ Type: 'LessThanOrEqualTo', LeftValue: 10, RightValue: 10 }, scope)).toBe(true);
    expect(evaluateCondition({ Type: 'LessThanOrEqualTo', LeftValue: auc, RightValue: 0.5 }, scope)).toBe(false);
  });
  test('In', () => {
    expect(evaluateCondition({ Type: 'In', QueryValue: { Get: 'Parameters.Mode' }, Values: ['slow', 'fast'] }, scope)).toBe(true);
    expect(evaluateCondition({ Type: 'In', QueryValue: { Get: 'Parameters.Depth' }, Values: [1, 2] }, scope)).toBe(false);
  });
  test('Not', () => {
    expect(evaluateCondition({ Type: 'Not', Expression: { Type: 'Equals', LeftValue: 1, RightValue: 2 } }, scope)).toBe(true);
    expect(() => evaluateCondition({ Type: 'Not' }, scope)).toThrow('Not needs an Expression (the condition to negate).');
  });
  test('Or', () => {
    expect(evaluateCondition({ Type: 'Or', Conditions: [{ Type: 'Equals', LeftValue: 1, RightValue: 2 }, { Type: 'LessThan', LeftValue: 1, RightValue: 2 }] }, scope)).toBe(true);
    expect(evaluateCondition({ Type: 'Or', Conditions: [{ Type: 'Equals', LeftValue: 1, RightValue: 2 }] }, scope)).toBe(false);
  });
  test('a list of conditions is true only when all are', () => {
    expect(evaluateConditions([{ Type: 'Equals', LeftValue: 1, RightValue: 1 }, { Type: 'GreaterThan', LeftValue: auc, RightValue: threshold }], scope)).toBe(true);
    expect(evaluateConditions([{ Type: 'Equals', LeftValue: 1, RightValue: 1 }, { Type: 'LessThan', LeftValue: auc, RightValue: threshold }], scope)).toBe(false);
  });
  test('unknown types and incomparable values are clear errors', () => {
    expect(() => evaluateCondition({ Type: 'NotEquals', LeftValue: 1, RightValue: 2 }, scope)).toThrow(
      'The condition type "NotEquals" is not one SageMaker Pipelines supports (Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or).',
    );
    expect(() => evaluateCondition({ Type: 'GreaterThan', LeftValue: 'abc', RightValue: 1 }, scope)).toThrow('GreaterThan compares numbers (or two strings), but got "abc" and 1.');
  });
});
