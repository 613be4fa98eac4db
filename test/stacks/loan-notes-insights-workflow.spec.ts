import { MlKey, SecureBucket } from '../../lib/constructs/security';
import { addLoanNotesInsightsWorkflow } from '../../lib/stacks/loan-notes-insights-workflow';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../helpers';
import { definitionOf } from '../unit/workflows/support';
import { statementsWith } from '../unit/ai-services/sync-states-support';

describe('addLoanNotesInsightsWorkflow (example)', () => {
  const app = testApp();
  const stack = testStack(app);
  const key = new MlKey(stack, 'Key');
  const dataBucket = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const workflow = addLoanNotesInsightsWorkflow(stack, { dataBucket, key })!;

  test('detect the language of the note, its sentiment in that language, then moderate the document image', () => {
    const definition = definitionOf(stack, workflow);
    expect(definition.StartAt).toBe('DetectLanguage');
    const states = definition.States;
    expect(states.DetectLanguage).toMatchObject({ Resource: 'arn:aws:states:::aws-sdk:comprehend:detectDominantLanguage', Parameters: { 'Text.$': '$.note' }, Next: 'NoteSentiment' });
    expect(states.NoteSentiment).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:comprehend:detectSentiment',
      Parameters: { 'Text.$': '$.note', 'LanguageCode.$': '$.DetectLanguage.Languages[0].LanguageCode' },
      ResultPath: '$.NoteSentiment',
      Next: 'ModerateDocument',
      Catch: [{ ErrorEquals: ['Comprehend.UnsupportedLanguageException'], ResultPath: '$.SentimentError', Next: 'SentimentSkipped' }],
    });
    expect(states.SentimentSkipped).toEqual({ Type: 'Pass', Next: 'ModerateDocument' });
    expect(states.ModerateDocument).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:rekognition:detectModerationLabels',
      Parameters: { Image: { S3Object: { 'Name.$': '$.imageKey' } }, MinConfidence: 60 },
      ResultPath: '$.ModerateDocument',
      End: true,
    });
  });

  test('reads only the document images under loan-documents/ and decrypts them through S3 only', () => {
    expect(statementsWith(stack, 's3:GetObject')).toEqual([{ Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(dataBucket.arnForObjects('loan-documents/*')) }]);
    expect(statementsWith(stack, 'kms:Decrypt')).toContainEqual({
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: stack.resolve(key.keyArn),
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
    expectLeastPrivilege(stack);
  });

  test('clean under the three nag packs and the schema rules (the documents prefix is acknowledged by the example)', () => {
    expectNagClean(app);
  });

  test('adds nothing in a region without Comprehend and Rekognition (AWS China)', () => {
    const china = testStack(testApp(), 'ChinaStack', { env: { account: '123456789012', region: 'cn-north-1' } });
    const chinaKey = new MlKey(china, 'Key');
    expect(addLoanNotesInsightsWorkflow(china, { dataBucket: new SecureBucket(china, 'Data', { encryptionKey: chinaKey }), key: chinaKey })).toBeUndefined();
    expect(china.node.tryFindChild('LoanNotesInsightsWorkflow')).toBeUndefined();
  });
});
