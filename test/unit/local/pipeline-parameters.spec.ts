import { resolveParameters } from '../../../lib/local/pipeline-parameters';

const DECLARED = [
  { Name: 'Threshold', Type: 'Float', DefaultValue: 0.7 },
  { Name: 'Rounds', Type: 'Integer', DefaultValue: 100 },
  { Name: 'Approve', Type: 'Boolean', DefaultValue: false },
  { Name: 'Mode', Type: 'String', DefaultValue: 'fast', EnumValues: ['fast', 'slow'] },
];

describe('resolveParameters', () => {
  test('defaults, and overrides converted to the declared type', () => {
    expect(resolveParameters(DECLARED)).toEqual({ Threshold: 0.7, Rounds: 100, Approve: false, Mode: 'fast' });
    expect(resolveParameters(DECLARED, { Threshold: '0.85', Rounds: '20', Approve: 'TRUE', Mode: 'slow' })).toEqual({ Threshold: 0.85, Rounds: 20, Approve: true, Mode: 'slow' });
  });

  test('every problem is reported at once with the declared parameters', () => {
    expect(() => resolveParameters(DECLARED, { Rounds: '2.5', Approve: 'yes', Mode: 'medium', Other: 'x' })).toThrow(
      'Invalid pipeline parameters: "Other" is not a parameter of the pipeline; Rounds="2.5" is not a valid Integer (a whole number such as 5); ' +
        'Approve="yes" is not a valid Boolean (true or false); Mode="medium" is not one of its allowed values ["fast","slow"]. ' +
        'Declared parameters: Threshold (Float, default 0.7), Rounds (Integer, default 100), Approve (Boolean, default false), Mode (String, default "fast").',
    );
  });

  test('a parameter without a default needs a value', () => {
    expect(() => resolveParameters([{ Name: 'Input', Type: 'String' }])).toThrow(/parameter Input has no default, so it needs a value \(--param Input=<String>\)/);
    expect(resolveParameters([{ Name: 'Input', Type: 'String' }], { Input: 's3://b/x' })).toEqual({ Input: 's3://b/x' });
  });
});
