import { Duration, Lazy, Stack, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { ComprehendError, ComprehendLanguage, ComprehendTextAnalysis, ComprehendTextState, ComprehendTextStateProps } from '../../../lib/constructs/ai-services';
import { MlKey } from '../../../lib/constructs/security';
import { JobRetry, MlWorkflow } from '../../../lib/constructs/workflows';
import { envAgnosticStack, expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { policyStatements, statementsWith } from './sync-states-support';

type StateJson = { Type: string; Resource: unknown; Parameters: Record<string, any>; ResultPath: string; Retry?: Array<Record<string, unknown>> };

function state(props: Partial<ComprehendTextStateProps> = {}, stack: Stack = testStack()) {
  const s = new ComprehendTextState(stack, 'Sentiment', { analysis: ComprehendTextAnalysis.SENTIMENT, text: '$.note', languageCode: ComprehendLanguage.ENGLISH, ...props });
  return { stack, state: s, json: stack.resolve(s.toStateJson()) as StateJson };
}

describe('ComprehendTextState: rendering', () => {
  test('sentiment: the aws-sdk comprehend:detectSentiment integration on text from the input, result at $.<state name>', () => {
    const { json, state: s } = state();
    expect(json.Type).toBe('Task');
    expect(json.Resource).toBe('arn:aws:states:::aws-sdk:comprehend:detectSentiment');
    expect(json.Parameters).toEqual({ 'Text.$': '$.note', LanguageCode: 'en' });
    expect(json.ResultPath).toBe('$.Sentiment');
    expect(s.stateId).toBe('Sentiment');
    expect(s.pathOf('Sentiment')).toBe('$.Sentiment.Sentiment');
  });

  test.each([
    [ComprehendTextAnalysis.ENTITIES, 'detectEntities'],
    [ComprehendTextAnalysis.KEY_PHRASES, 'detectKeyPhrases'],
  ])('%s: %s, in Chinese (simplified and traditional)', (analysis, api) => {
    const simplified = state({ analysis, languageCode: ComprehendLanguage.CHINESE_SIMPLIFIED });
    expect(simplified.json.Resource).toBe(`arn:aws:states:::aws-sdk:comprehend:${api}`);
    expect(simplified.json.Parameters).toEqual({ 'Text.$': '$.note', LanguageCode: 'zh' });
    expect(state({ analysis, languageCode: ComprehendLanguage.CHINESE_TRADITIONAL }).json.Parameters.LanguageCode).toBe('zh-TW');
  });

  test('dominant language: detectDominantLanguage with no language code; its first language for a later state', () => {
    const { json, state: s } = state({ analysis: ComprehendTextAnalysis.DOMINANT_LANGUAGE, languageCode: undefined, stateName: 'DetectLanguage' });
    expect(json.Resource).toBe('arn:aws:states:::aws-sdk:comprehend:detectDominantLanguage');
    expect(json.Parameters).toEqual({ 'Text.$': '$.note' });
    expect(s.dominantLanguageCodePath).toBe('$.DetectLanguage.Languages[0].LanguageCode');
  });

  test('the language read at run time (languageCodePath), and a fixed text', () => {
    const { json } = state({ languageCode: undefined, languageCodePath: '$.DetectLanguage.Languages[0].LanguageCode', text: 'The applicant paid every instalment on time.' });
    expect(json.Parameters).toEqual({ Text: 'The applicant paid every instalment on time.', 'LanguageCode.$': '$.DetectLanguage.Languages[0].LanguageCode' });
  });

  test('dominantLanguageCodePath is refused on other analyses', () => {
    expect(() => state().state.dominantLanguageCodePath).toThrow(/\[TestStack\/Sentiment\] dominantLanguageCodePath is only known for ComprehendTextAnalysis\.DOMINANT_LANGUAGE states/);
  });

  test('the integration ARN follows the partition: aws-us-gov in GovCloud, AWS::Partition in an env-agnostic stack', () => {
    expect(state({}, testStack(testApp(), 'GovStack', { env: { account: '123456789012', region: 'us-gov-west-1' } })).json.Resource).toBe(
      'arn:aws-us-gov:states:::aws-sdk:comprehend:detectSentiment',
    );
    expect(state({}, envAgnosticStack()).json.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::aws-sdk:comprehend:detectSentiment']] });
  });

  test('retries service errors and throttling by default (2 s, backoff 2, 6 attempts, jitter); configurable; off with []', () => {
    expect(state().json.Retry).toEqual([
      { ErrorEquals: ['Comprehend.InternalServerException', 'Comprehend.ThrottlingException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' },
    ]);
    const custom = state({ retries: [new JobRetry({ errors: [ComprehendError.THROTTLING], interval: Duration.seconds(1), maxAttempts: 3 })] });
    expect(custom.json.Retry).toEqual([{ ErrorEquals: ['Comprehend.ThrottlingException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }]);
    expect(state({ retries: [] }).json.Retry).toBeUndefined();
  });

  test('an unsupported language can be caught by its error name', () => {
    const stack = testStack();
    const { state: s } = state({ languageCode: undefined, languageCodePath: '$.lang' }, stack);
    s.addCatch(new sfn.Pass(stack, 'Skip'), { errors: [ComprehendError.UNSUPPORTED_LANGUAGE] });
    expect((stack.resolve(s.toStateJson()) as { Catch: unknown[] }).Catch).toEqual([{ ErrorEquals: ['Comprehend.UnsupportedLanguageException'], Next: 'Skip' }]);
  });

  test('unresolved tokens pass through unchecked', () => {
    const text = Lazy.string({ produce: () => 'x'.repeat(6000) });
    const { stack, json } = state({ text, languageCode: Lazy.string({ produce: () => 'nl' }) as ComprehendLanguage });
    expect(stack.resolve(json.Parameters)).toEqual({ Text: 'x'.repeat(6000), LanguageCode: 'nl' });
  });
});

describe('ComprehendTextState: grants', () => {
  test('exactly the one Comprehend action, on "*" (no resource type for the built-in models), for each analysis', () => {
    const stack = testStack();
    const detect = new ComprehendTextState(stack, 'DetectLanguage', { analysis: ComprehendTextAnalysis.DOMINANT_LANGUAGE, text: '$.note' });
    const sentiment = new ComprehendTextState(stack, 'Sentiment', { analysis: ComprehendTextAnalysis.SENTIMENT, text: '$.note', languageCodePath: detect.dominantLanguageCodePath });
    const entities = new ComprehendTextState(stack, 'Entities', { analysis: ComprehendTextAnalysis.ENTITIES, text: '$.note', languageCode: ComprehendLanguage.ENGLISH });
    const phrases = new ComprehendTextState(stack, 'Phrases', { analysis: ComprehendTextAnalysis.KEY_PHRASES, text: '$.note', languageCode: ComprehendLanguage.ENGLISH });
    expect(stack.resolve(sentiment.policyStatements().map((s) => s.toStatementJson()))).toEqual([{ Action: 'comprehend:DetectSentiment', Effect: 'Allow', Resource: '*' }]);
    new MlWorkflow(stack, 'Workflow', { states: [detect, sentiment, entities, phrases], encryptionKey: new MlKey(stack, 'Key') });
    for (const action of ['comprehend:DetectDominantLanguage', 'comprehend:DetectSentiment', 'comprehend:DetectEntities', 'comprehend:DetectKeyPhrases']) {
      expect(statementsWith(stack, action)).toEqual([{ Action: expect.arrayContaining([action]), Effect: 'Allow', Resource: '*' }]);
    }
    expect(policyStatements(stack).flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('comprehend:')).sort()).toEqual([
      'comprehend:DetectDominantLanguage',
      'comprehend:DetectEntities',
      'comprehend:DetectKeyPhrases',
      'comprehend:DetectSentiment',
    ]);
    expectLeastPrivilege(stack);
  });

  test('a workflow with Comprehend states is clean under the three nag packs and the schema rules', () => {
    const app = testApp();
    const stack = testStack(app);
    const detect = new ComprehendTextState(stack, 'DetectLanguage', { analysis: ComprehendTextAnalysis.DOMINANT_LANGUAGE, text: '$.note' });
    const sentiment = new ComprehendTextState(stack, 'Sentiment', { analysis: ComprehendTextAnalysis.SENTIMENT, text: '$.note', languageCodePath: detect.dominantLanguageCodePath });
    new MlWorkflow(stack, 'Workflow', { states: [detect, sentiment], encryptionKey: new MlKey(stack, 'Key') });
    expectNagClean(app);
  });
});

describe('ComprehendTextState: validation', () => {
  const expectError = (props: Partial<ComprehendTextStateProps>, message: RegExp, stack?: Stack) => expect(() => state(props, stack)).toThrow(message);

  test('an unknown analysis', () => {
    expectError({ analysis: 'SYNTAX' as ComprehendTextAnalysis }, /\[TestStack\/Sentiment\] analysis "SYNTAX" is not one of SENTIMENT, ENTITIES, KEY_PHRASES, DOMINANT_LANGUAGE/);
  });
  test('a state name that is not letters and digits', () => {
    expectError({ stateName: 'note_sentiment' }, /state name "note_sentiment" must be 1-80 letters and digits/);
  });
  test('an empty fixed text', () => {
    expectError({ text: '' }, /text is empty; give the text, or a JSONPath/);
  });
  test('a fixed text over 5,000 bytes of UTF-8 for sentiment (counted in bytes: 2,000 "é" are 4,000 bytes)', () => {
    expect(() => state({ text: 'é'.repeat(2000) })).not.toThrow();
    expectError({ text: 'é'.repeat(2501) }, /has 5002 bytes of UTF-8, but detectSentiment takes at most 5000/);
  });
  test('a fixed text over 100,000 bytes for entities', () => {
    expect(() => state({ analysis: ComprehendTextAnalysis.ENTITIES, text: 'x'.repeat(100_000) })).not.toThrow();
    expectError({ analysis: ComprehendTextAnalysis.ENTITIES, text: 'x'.repeat(100_001) }, /has 100001 bytes of UTF-8, but detectEntities takes at most 100000/);
  });
  test('a fixed text under 20 characters for the dominant language', () => {
    expectError({ analysis: ComprehendTextAnalysis.DOMINANT_LANGUAGE, languageCode: undefined, text: '短い文章です' }, /has 6 characters, but detectDominantLanguage needs at least 20/);
  });
  test('a language code on the dominant language analysis', () => {
    expectError({ analysis: ComprehendTextAnalysis.DOMINANT_LANGUAGE }, /languageCode is set, but detectDominantLanguage detects the language itself and takes none/);
  });
  test('no language for sentiment, entities or key phrases', () => {
    expectError({ analysis: ComprehendTextAnalysis.KEY_PHRASES, languageCode: undefined }, /detectKeyPhrases needs the text's language: give languageCode/);
  });
  test('both languageCode and languageCodePath', () => {
    expectError({ languageCodePath: '$.lang' }, /languageCode and languageCodePath are both set; give one/);
  });
  test('a language the analysis does not support', () => {
    expectError({ languageCode: 'nl' as ComprehendLanguage }, /languageCode "nl" is not supported by detectSentiment; it supports de, en, es, it, pt, fr, ja, ko, hi, ar, zh, zh-TW/);
  });
  test('a languageCodePath that is not a JSONPath', () => {
    expectError({ languageCode: undefined, languageCodePath: 'lang' }, /languageCodePath "lang" must be a JSONPath starting with "\$"/);
  });
  test('a region without Comprehend (AWS China)', () => {
    expectError({}, /\[ChinaStack\/Sentiment\] Amazon Comprehend has no endpoint in cn-north-1/, testStack(testApp(), 'ChinaStack', { env: { account: '123456789012', region: 'cn-north-1' } }));
    expect(ComprehendTextState.isAvailableIn('cn-northwest-1')).toBe(false);
    expect(ComprehendTextState.isAvailableIn('eu-west-1')).toBe(true);
  });
  test('an invalid retry policy', () => {
    expectError({ retries: [new JobRetry({ errors: [ComprehendError.THROTTLING], backoffRate: 0.5 })] }, /retry backoffRate is 0.5, but must be at least 1/);
  });
});
