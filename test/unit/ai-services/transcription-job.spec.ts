import { CfnParameter, Duration, Stack, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TranscriptionJob, TranscriptionLanguage } from '../../../lib/constructs/ai-services';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { JobRetry, MlWorkflow } from '../../../lib/constructs/workflows';
import { expectLeastPrivilege, expectNagClean, testApp, testStack, validationFindings } from '../../helpers';
import { definitionOf } from '../workflows/support';

function setup(stack: Stack = testStack()) {
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  return { stack, key, data };
}

function policyStatements(stack: Stack): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement);
}

describe('TranscriptionJob', () => {
  const { stack, key, data } = setup();
  const job = new TranscriptionJob(stack, 'Transcribe', {
    mediaBucket: data,
    mediaKey: '$.audioKey',
    mediaKeyPrefix: 'calls/',
    languageCode: TranscriptionLanguage.ZH_CN,
    outputBucket: data,
  });
  const wf = new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
  const definition = definitionOf(stack, wf);

  test('start → wait (30 s) → get → status choice; COMPLETED ends, FAILED fails with the failure reason, else waits again', () => {
    expect(definition.StartAt).toBe('TranscribeStart');
    expect(definition.States.TranscribeStart).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:transcribe:startTranscriptionJob',
      Parameters: {
        'TranscriptionJobName.$': "States.Format('{}-Transcribe', $$.Execution.Name)",
        Media: { 'MediaFileUri.$': "States.Format('s3://X/{}', $.audioKey)" },
        LanguageCode: 'zh-CN',
        OutputBucketName: 'X',
        OutputKey: 'transcripts/',
        OutputEncryptionKMSKeyId: 'X',
      },
      ResultPath: '$.Transcribe',
      Next: 'TranscribeWait',
    });
    expect(definition.States.TranscribeWait).toMatchObject({ Type: 'Wait', Seconds: 30, Next: 'TranscribeDescribe' });
    expect(definition.States.TranscribeDescribe).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:transcribe:getTranscriptionJob',
      Parameters: { 'TranscriptionJobName.$': '$.Transcribe.TranscriptionJob.TranscriptionJobName' },
      ResultPath: '$.Transcribe',
      Next: 'TranscribeStatus',
    });
    expect(definition.States.TranscribeStatus).toEqual({
      Type: 'Choice',
      Comment: expect.any(String),
      Choices: [
        { Variable: '$.Transcribe.TranscriptionJob.TranscriptionJobStatus', StringEquals: 'COMPLETED', Next: 'TranscribeSucceeded' },
        { Variable: '$.Transcribe.TranscriptionJob.TranscriptionJobStatus', StringEquals: 'FAILED', Next: 'TranscribeFailed' },
      ],
      Default: 'TranscribeWait',
    });
    expect(definition.States.TranscribeSucceeded).toMatchObject({ Type: 'Pass', End: true });
    expect(definition.States.TranscribeFailed).toMatchObject({ Type: 'Fail', Error: 'Transcribe.JobFailed', CausePath: '$.Transcribe.TranscriptionJob.FailureReason' });
    expect(job.transcriptUriPath).toBe('$.Transcribe.TranscriptionJob.Transcript.TranscriptFileUri');
    expect(job.pathOf('TranscriptionJob.LanguageCode')).toBe('$.Transcribe.TranscriptionJob.LanguageCode');
  });

  test('start and get retry on Transcribe throttling/quota and service errors', () => {
    for (const state of ['TranscribeStart', 'TranscribeDescribe']) {
      expect(definition.States[state].Retry).toEqual([
        { ErrorEquals: ['Transcribe.LimitExceededException', 'Transcribe.InternalFailureException'], IntervalSeconds: 5, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' },
      ]);
    }
  });

  test('grants: start only for this output (conditions), get on the job name pattern, read the media prefix, write the output prefix, the keys', () => {
    const statements = policyStatements(stack);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Action: 'transcribe:StartTranscriptionJob',
          Effect: 'Allow',
          Resource: '*',
          Condition: {
            StringEquals: {
              'transcribe:OutputBucketName': stack.resolve(data.bucketName),
              'transcribe:OutputKey': 'transcripts/',
              'transcribe:OutputEncryptionKMSKeyId': stack.resolve(key.keyArn),
            },
          },
        },
        { Action: 'transcribe:GetTranscriptionJob', Effect: 'Allow', Resource: 'arn:aws:transcribe:us-east-1:123456789012:transcription-job/*-Transcribe' },
        { Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(data.arnForObjects('calls/*')) },
        { Action: 's3:PutObject', Effect: 'Allow', Resource: stack.resolve(data.arnForObjects('transcripts/*')) },
        { Action: 'kms:Decrypt', Effect: 'Allow', Resource: stack.resolve(key.keyArn), Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
        { Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: stack.resolve(key.keyArn) },
      ]),
    );
  });

  test('least privilege: no scopable action on "*"', () => {
    expectLeastPrivilege(stack);
  });
});

describe('TranscriptionJob: options', () => {
  test('a fixed media key is read exactly; identifyLanguage; a bucket without key gets no KMS parameter; custom prefix, interval, name and retries', () => {
    const stack = testStack();
    const media = new s3.Bucket(stack, 'Media', { enforceSSL: true });
    const job = new TranscriptionJob(stack, 'Job', {
      mediaBucket: media,
      mediaKey: 'calls/call-1.wav',
      identifyLanguage: true,
      outputBucket: media,
      outputKeyPrefix: 'out/text/',
      pollInterval: Duration.minutes(2),
      stateName: 'Calls',
      retries: [],
    });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [job] });
    const definition = definitionOf(stack, wf);
    expect(definition.States.CallsStart.Parameters).toEqual({
      'TranscriptionJobName.$': "States.Format('{}-Calls', $$.Execution.Name)",
      Media: { MediaFileUri: 's3://X/calls/call-1.wav' },
      IdentifyLanguage: true,
      OutputBucketName: 'X',
      OutputKey: 'out/text/',
    });
    expect(definition.States.CallsStart.Retry).toBeUndefined();
    expect(definition.States.CallsWait.Seconds).toBe(120);
    expect(job.mediaObjectArn).toBe(media.arnForObjects('calls/call-1.wav'));
    const own = JSON.stringify(job.policyStatements().map((st) => stack.resolve(st.toStatementJson())));
    expect(own).not.toContain('kms:');
    expect(own).not.toContain('transcribe:OutputEncryptionKMSKeyId');
  });

  test('China partition ARNs', () => {
    const stack = testStack(testApp(), 'China', { env: { account: '123456789012', region: 'cn-north-1' } });
    const { key, data } = setup(stack);
    const job = new TranscriptionJob(stack, 'Transcribe', { mediaBucket: data, mediaKey: 'a.wav', languageCode: TranscriptionLanguage.ZH_CN, outputBucket: data });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
    const definition = definitionOf(stack, wf);
    expect(definition.States.TranscribeStart.Resource).toBe('arn:aws-cn:states:::aws-sdk:transcribe:startTranscriptionJob');
    expect(JSON.stringify(policyStatements(stack))).toContain('arn:aws-cn:transcribe:cn-north-1:123456789012:transcription-job/*-Transcribe');
  });

  test('tokens pass through unchecked', () => {
    const stack = testStack();
    const { data } = setup(stack);
    const mediaKey = new CfnParameter(stack, 'MediaKey').valueAsString;
    const outputKeyPrefix = new CfnParameter(stack, 'OutputKeyPrefix').valueAsString;
    const job = new TranscriptionJob(stack, 'Job', { mediaBucket: data, mediaKey, languageCode: TranscriptionLanguage.EN_US, outputBucket: data, outputKeyPrefix });
    expect(stack.resolve(job.mediaObjectArn)).toEqual(stack.resolve(data.arnForObjects(mediaKey)));
  });
});

describe('TranscriptionJob: validation', () => {
  const make = (props: Partial<ConstructorParameters<typeof TranscriptionJob>[2]>, id = 'Job') => {
    const { stack, data } = setup();
    return () => new TranscriptionJob(stack, id, { mediaBucket: data, mediaKey: 'a.wav', languageCode: TranscriptionLanguage.EN_US, outputBucket: data, ...props });
  };

  test('neither languageCode nor identifyLanguage', () => {
    expect(make({ languageCode: undefined })).toThrow(/\[TestStack\/Job\] neither languageCode nor identifyLanguage is set/);
  });
  test('both languageCode and identifyLanguage', () => {
    expect(make({ identifyLanguage: true })).toThrow(/languageCode "en-US" and identifyLanguage are both set/);
  });
  test('an unknown language code', () => {
    expect(make({ languageCode: 'xx-XX' as TranscriptionLanguage })).toThrow(/languageCode "xx-XX" is not a TranscriptionLanguage/);
  });
  test('an empty media key', () => {
    expect(make({ mediaKey: '' })).toThrow(/mediaKey "" has 0 characters, but an S3 object key has 1 to 1024/);
  });
  test('a JSONPath media key without a prefix', () => {
    expect(make({ mediaKey: '$.key' })).toThrow(/mediaKey "\$\.key" is read from the state input, so give mediaKeyPrefix/);
  });
  test('a prefix with a fixed media key', () => {
    expect(make({ mediaKeyPrefix: 'calls/' })).toThrow(/mediaKeyPrefix "calls\/" applies only to a mediaKey read from the state input/);
  });
  test('a media prefix with a wildcard', () => {
    expect(make({ mediaKey: '$.key', mediaKeyPrefix: 'calls/*' })).toThrow(/mediaKeyPrefix "calls\/\*" must be a non-empty key prefix without "\*"/);
  });
  test('an output prefix that is not a folder of OutputKey characters', () => {
    expect(make({ outputKeyPrefix: 'out put' })).toThrow(/outputKeyPrefix "out put" must be a folder such as "transcripts\/"/);
  });
  test('a state name that is not letters and digits', () => {
    expect(make({ stateName: 'my-job' })).toThrow(/state name "my-job" must be 1-71 letters and digits/);
  });
  test('a poll interval under one second', () => {
    expect(make({ pollInterval: Duration.millis(500) })).toThrow(/pollInterval is 500 millis, but a Wait state waits a whole number of seconds/);
  });
  test('an invalid retry', () => {
    expect(make({ retries: [new JobRetry({ errors: [], maxAttempts: 1 })] })).toThrow(/retry errors is empty/);
  });
  test('a region without Transcribe', () => {
    const stack = testStack(testApp(), 'TelAviv', { env: { account: '123456789012', region: 'il-central-1' } });
    const { data } = setup(stack);
    expect(() => new TranscriptionJob(stack, 'Job', { mediaBucket: data, mediaKey: 'a.wav', languageCode: TranscriptionLanguage.EN_US, outputBucket: data })).toThrow(
      /\[TelAviv\/Job\] Amazon Transcribe has no endpoint in il-central-1/,
    );
  });
});

describe('TranscriptionJob: nag', () => {
  test('an MlWorkflow running the job passes the schema rules, three nag packs and the IAM check', () => {
    const app = testApp();
    const { stack, key, data } = setup(testStack(app));
    const job = new TranscriptionJob(stack, 'Transcribe', { mediaBucket: data, mediaKey: 'calls/a.wav', languageCode: TranscriptionLanguage.ZH_CN, outputBucket: data });
    new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });

  test("a media key read from the state input is the user's choice: its prefix wildcard stays reported, nothing else", () => {
    const app = testApp();
    const { stack, key, data } = setup(testStack(app));
    const job = new TranscriptionJob(stack, 'Transcribe', { mediaBucket: data, mediaKey: '$.audioKey', mediaKeyPrefix: 'calls/', languageCode: TranscriptionLanguage.ZH_CN, outputBucket: data });
    new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
    const findings = validationFindings(app).map((f) => f.rule);
    expect(findings).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/calls\/\*\]$/)]);
  });
});

describe('TranscriptionJob: acknowledgements', () => {
  test('only the fragment\'s own wildcard resources are acknowledged on the workflow role; another wildcard stays reported', () => {
    const app = testApp();
    const { stack, key, data } = setup(testStack(app));
    const job = new TranscriptionJob(stack, 'Transcribe', { mediaBucket: data, mediaKey: 'calls/a.wav', languageCode: TranscriptionLanguage.ZH_CN, outputBucket: data });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
    wf.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [data.arnForObjects('other/*')] }));
    const findings = validationFindings(app).filter((f) => f.rule.startsWith('AwsSolutions-IAM5'));
    expect(findings.map((f) => f.rule)).toEqual([expect.stringMatching(/AwsSolutions-IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/other\/\*\]/)]);
  });
});
