import { CfnParameter, Duration, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PollyVoice, SpeechEngine, SpeechMarkType, SpeechOutputFormat, SpeechSynthesisTask, SpeechTextType } from '../../../lib/constructs/ai-services';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { JobRetry, MlWorkflow } from '../../../lib/constructs/workflows';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { definitionOf } from '../workflows/support';

function setup(stack: Stack = testStack()) {
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  return { stack, key, data };
}

function statementsOf(stack: Stack): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement);
}

describe('SpeechSynthesisTask', () => {
  const { stack, key, data } = setup();
  const task = new SpeechSynthesisTask(stack, 'Speak', { text: '$.summary', voice: PollyVoice.ZHIYU, engine: SpeechEngine.NEURAL, languageCode: 'cmn-CN', outputBucket: data });
  const wf = new MlWorkflow(stack, 'Workflow', { states: [task], encryptionKey: key });
  const definition = definitionOf(stack, wf);

  test('start → wait (15 s) → get → status choice on Polly\'s lower-case statuses', () => {
    expect(definition.StartAt).toBe('SpeakStart');
    expect(definition.States.SpeakStart).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:polly:startSpeechSynthesisTask',
      Parameters: {
        'Text.$': '$.summary',
        TextType: 'text',
        VoiceId: 'Zhiyu',
        Engine: 'neural',
        LanguageCode: 'cmn-CN',
        OutputFormat: 'mp3',
        OutputS3BucketName: 'X',
        OutputS3KeyPrefix: 'speech/',
      },
      ResultPath: '$.Speak',
      Next: 'SpeakWait',
    });
    expect(definition.States.SpeakWait).toMatchObject({ Type: 'Wait', Seconds: 15, Next: 'SpeakDescribe' });
    expect(definition.States.SpeakDescribe).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:polly:getSpeechSynthesisTask',
      Parameters: { 'TaskId.$': '$.Speak.SynthesisTask.TaskId' },
      ResultPath: '$.Speak',
      Next: 'SpeakStatus',
    });
    expect(definition.States.SpeakStatus).toMatchObject({
      Choices: [
        { Variable: '$.Speak.SynthesisTask.TaskStatus', StringEquals: 'completed', Next: 'SpeakSucceeded' },
        { Variable: '$.Speak.SynthesisTask.TaskStatus', StringEquals: 'failed', Next: 'SpeakFailed' },
      ],
      Default: 'SpeakWait',
    });
    expect(definition.States.SpeakFailed).toMatchObject({ Type: 'Fail', Error: 'Polly.TaskFailed', CausePath: '$.Speak.SynthesisTask.TaskStatusReason' });
    expect(definition.States.SpeakSucceeded).toMatchObject({ Type: 'Pass', End: true });
    expect(task.outputUriPath).toBe('$.Speak.SynthesisTask.OutputUri');
    expect(task.pathOf('SynthesisTask.RequestCharacters')).toBe('$.Speak.SynthesisTask.RequestCharacters');
  });

  test('retries on Polly service failures and throttling', () => {
    for (const state of ['SpeakStart', 'SpeakDescribe']) {
      expect(definition.States[state].Retry).toEqual([
        { ErrorEquals: ['Polly.ServiceFailureException', 'Polly.ThrottlingException'], IntervalSeconds: 5, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' },
      ]);
    }
  });

  test('grants: the Polly actions on "*", PutObject under the prefix, the bucket key through S3', () => {
    expect(task.policyStatements().map((st) => stack.resolve(st.toStatementJson()))).toEqual([
      { Action: ['polly:StartSpeechSynthesisTask', 'polly:GetSpeechSynthesisTask'], Effect: 'Allow', Resource: '*' },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: stack.resolve(data.arnForObjects('speech/*')) },
      { Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: stack.resolve(key.keyArn), Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
    ]);
    // The workflow's role holds them (IAM merges the "*" statement with the role's other "*" actions).
    expect(JSON.stringify(statementsOf(stack))).toContain('"polly:StartSpeechSynthesisTask"');
    expect(statementsOf(stack)).toEqual(
      expect.arrayContaining([
        { Action: 's3:PutObject', Effect: 'Allow', Resource: stack.resolve(data.arnForObjects('speech/*')) },
        { Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: stack.resolve(key.keyArn), Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
      ]),
    );
    expectLeastPrivilege(stack);
  });
});

describe('SpeechSynthesisTask: options', () => {
  test('fixed SSML text with speech marks, a custom prefix, interval, name and no retries; an unencrypted bucket gets no KMS statement', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Out', { enforceSSL: true });
    const task = new SpeechSynthesisTask(stack, 'Task', {
      text: '<speak>Hello <mark name="m"/> world</speak>',
      textType: SpeechTextType.SSML,
      voice: PollyVoice.of('Takumi'),
      outputFormat: SpeechOutputFormat.JSON,
      speechMarkTypes: [SpeechMarkType.WORD, SpeechMarkType.SSML],
      outputBucket: bucket,
      outputKeyPrefix: 'marks/',
      pollInterval: Duration.seconds(5),
      stateName: 'Marks',
      retries: [],
    });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [task] });
    const definition = definitionOf(stack, wf);
    expect(definition.States.MarksStart.Parameters).toEqual({
      Text: '<speak>Hello <mark name="m"/> world</speak>',
      TextType: 'ssml',
      VoiceId: 'Takumi',
      Engine: 'standard',
      OutputFormat: 'json',
      SpeechMarkTypes: ['word', 'ssml'],
      OutputS3BucketName: 'X',
      OutputS3KeyPrefix: 'marks/',
    });
    expect(definition.States.MarksStart.Retry).toBeUndefined();
    expect(definition.States.MarksWait.Seconds).toBe(5);
    expect(JSON.stringify(task.policyStatements().map((s) => stack.resolve(s.toStatementJson())))).not.toContain('kms:');
  });

  test('China partition ARNs in cn-northwest-1 (Ningxia)', () => {
    const stack = testStack(testApp(), 'China', { env: { account: '123456789012', region: 'cn-northwest-1' } });
    const { key, data } = setup(stack);
    const task = new SpeechSynthesisTask(stack, 'Speak', { text: '你好', voice: PollyVoice.ZHIYU, outputBucket: data });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [task], encryptionKey: key });
    expect(definitionOf(stack, wf).States.SpeakStart.Resource).toBe('arn:aws-cn:states:::aws-sdk:polly:startSpeechSynthesisTask');
    expect(JSON.stringify(statementsOf(stack))).toContain('s3.cn-northwest-1.amazonaws.com');
  });

  test('tokens pass through unchecked', () => {
    const stack = testStack();
    const { data } = setup(stack);
    const text = new CfnParameter(stack, 'Text').valueAsString;
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    const language = new CfnParameter(stack, 'Language').valueAsString;
    expect(() => new SpeechSynthesisTask(stack, 'Task', { text, voice: PollyVoice.JOANNA, languageCode: language, outputBucket: data, outputKeyPrefix: prefix })).not.toThrow();
  });
});

describe('SpeechSynthesisTask: validation', () => {
  const make = (props: Partial<ConstructorParameters<typeof SpeechSynthesisTask>[2]>, stack?: Stack) => {
    const { data } = setup(stack);
    return () => new SpeechSynthesisTask(data.stack, 'Task', { text: 'hello', voice: PollyVoice.JOANNA, outputBucket: data, ...props });
  };

  test('a voice without the engine', () => {
    expect(make({ voice: PollyVoice.ADITI, engine: SpeechEngine.NEURAL })).toThrow(/\[TestStack\/Task\] voice Aditi does not support the neural engine \(it supports standard\)/);
  });
  test('a language the voice does not speak', () => {
    expect(make({ voice: PollyVoice.JOANNA, languageCode: 'cmn-CN' })).toThrow(/languageCode "cmn-CN" is not a language of voice Joanna \(en-US\)/);
  });
  test('JSON output without speech marks', () => {
    expect(make({ outputFormat: SpeechOutputFormat.JSON })).toThrow(/outputFormat is JSON \(speech marks\), but speechMarkTypes is empty/);
  });
  test('speech marks with an audio format', () => {
    expect(make({ speechMarkTypes: [SpeechMarkType.WORD] })).toThrow(/speechMarkTypes is set, but outputFormat is mp3/);
  });
  test('SSML marks on plain text', () => {
    expect(make({ outputFormat: SpeechOutputFormat.JSON, speechMarkTypes: [SpeechMarkType.SSML] })).toThrow(/speechMarkTypes has SpeechMarkType.SSML, which needs SSML text/);
  });
  test('plain text over 100,000 characters', () => {
    expect(make({ text: 'a'.repeat(100_001) })).toThrow(/text has 100001 characters, but a synthesis task takes 1 to 100,000 characters of plain text/);
  });
  test('an output prefix outside Polly\'s alphabet', () => {
    expect(make({ outputKeyPrefix: 'speech out/' })).toThrow(/outputKeyPrefix "speech out\/" must be 1-800 letters, digits/);
  });
  test('Polly in cn-north-1 (in China it runs in cn-northwest-1 only)', () => {
    const stack = testStack(testApp(), 'Beijing', { env: { account: '123456789012', region: 'cn-north-1' } });
    expect(make({}, stack)).toThrow(/\[Beijing\/Task\] Amazon Polly has no endpoint in cn-north-1/);
  });
  test('a state name that is not letters and digits', () => {
    expect(make({ stateName: 'speak_now' })).toThrow(/state name "speak_now" must be 1-71 letters and digits/);
  });
  test('a poll interval that is not whole seconds', () => {
    expect(make({ pollInterval: Duration.millis(1500) })).toThrow(/pollInterval is 1 second 500 millis, but a Wait state waits a whole number of seconds/);
  });
  test('an invalid retry', () => {
    expect(make({ retries: [new JobRetry({ errors: SpeechSynthesisTask.RETRYABLE_ERRORS, backoffRate: 0.5 })] })).toThrow(/retry backoffRate is 0.5/);
  });
});

describe('SpeechSynthesisTask: nag', () => {
  test('an MlWorkflow running the task passes the schema rules, three nag packs and the IAM check', () => {
    const app = testApp();
    const { stack, key, data } = setup(testStack(app));
    const task = new SpeechSynthesisTask(stack, 'Speak', { text: '$.summary', voice: PollyVoice.ZHIYU, engine: SpeechEngine.NEURAL, outputBucket: data });
    new MlWorkflow(stack, 'Workflow', { states: [task], encryptionKey: key });
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
