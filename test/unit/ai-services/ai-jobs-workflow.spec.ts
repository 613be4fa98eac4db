import { Duration } from 'aws-cdk-lib';
import {
  ComprehendAnalysisJob,
  ComprehendJobAnalysis,
  ComprehendLanguage,
    PollyVoice,
  SpeechEngine,
  SpeechSynthesisTask,
  TranscriptionJob,
  TranscriptionLanguage,
} from '../../../lib/constructs/ai-services';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { MlWorkflow } from '../../../lib/constructs/workflows';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { definitionOf } from '../workflows/support';

/**
 * Transcribe a Mandarin call, analyse the sentiment of the transcripts (not in China, where
 * Comprehend has no endpoint), read a summary aloud.
 */
function workflow(region: string) {
  const app = testApp();
  const stack = testStack(app, 'AiJobs', { env: { account: '123456789012', region } });
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const transcribe = new TranscriptionJob(stack, 'Transcribe', {
    mediaBucket: data,
    mediaKey: 'calls/latest.wav',
    languageCode: TranscriptionLanguage.ZH_CN,
    outputBucket: data,
  });
  const china = region.startsWith('cn-');
  const sentiment = china
    ? []
    : [
        new ComprehendAnalysisJob(stack, 'Sentiment', {
          analysis: ComprehendJobAnalysis.SENTIMENT,
          languageCode: ComprehendLanguage.CHINESE_SIMPLIFIED,
          inputBucket: data,
          inputKeyPrefix: 'transcripts/',
          outputBucket: data,
        }),
      ];
  const speak = new SpeechSynthesisTask(stack, 'Speak', { text: '$.summary', voice: PollyVoice.ZHIYU, engine: SpeechEngine.NEURAL, outputBucket: data });
  const wf = new MlWorkflow(stack, 'Workflow', { states: [transcribe, ...sentiment, speak], encryptionKey: key, timeout: Duration.hours(6) });
  return { app, stack, wf };
}

describe('asynchronous AI jobs in one MlWorkflow', () => {
  test('the fragments chain: each one\'s Succeeded state leads to the next one\'s Start', () => {
    const { stack, wf } = workflow('us-east-1');
    const definition = definitionOf(stack, wf);
    expect(definition.StartAt).toBe('TranscribeStart');
    expect(definition.States.TranscribeSucceeded).toMatchObject({ Type: 'Pass', Next: 'SentimentStart' });
    expect(definition.States.SentimentSucceeded).toMatchObject({ Type: 'Pass', Next: 'SpeakStart' });
    expect(definition.States.SpeakSucceeded).toMatchObject({ Type: 'Pass', End: true });
    expect(definition).toMatchObject({ TimeoutSeconds: 21600 });
  });

  test('passes the schema rules, the three nag packs and the IAM check', () => {
    const { app, stack } = workflow('us-east-1');
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });

  test('in China (cn-northwest-1, where Polly runs; Comprehend has no endpoint there): the same gates, aws-cn ARNs', () => {
    const { app, stack, wf } = workflow('cn-northwest-1');
    const definition = definitionOf(stack, wf);
    expect(definition.States.TranscribeSucceeded.Next).toBe('SpeakStart');
    for (const state of ['TranscribeStart', 'SpeakStart']) {
      expect(definition.States[state].Resource).toMatch(/^arn:aws-cn:states:::aws-sdk:/);
    }
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
