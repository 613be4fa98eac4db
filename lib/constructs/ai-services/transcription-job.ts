import { ArnFormat, Duration, Stack, Token, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { throwIfProblems } from '../../private/errors';
import { declareWorkflowWildcards } from '../../private/workflow-wildcards';
import { IWorkflowPermissions, JobRetry } from '../workflows';
import { buildAiJobPoller, executionJobName, pollerProblems } from './ai-job-poller';
import { isRuntimeValue, objectKeyProblems, regionProblem } from './ai-service-support';

/**
 * Languages a transcription job can be told the media is in (a selection of the codes Amazon
 * Transcribe's batch API accepts; `TranscriptionLanguage` values are its `LanguageCode` strings).
 * @see https://docs.aws.amazon.com/transcribe/latest/dg/supported-languages.html
 */
export enum TranscriptionLanguage {
  /** English, US. */
  EN_US = 'en-US',
  /** English, British. */
  EN_GB = 'en-GB',
  /** English, Australian. */
  EN_AU = 'en-AU',
  /** Chinese, Simplified (Mandarin, mainland China). */
  ZH_CN = 'zh-CN',
  /** Chinese, Traditional (Mandarin, Taiwan). */
  ZH_TW = 'zh-TW',
  /** Chinese, Cantonese (Hong Kong). */
  ZH_HK = 'zh-HK',
  /** Japanese. */
  JA_JP = 'ja-JP',
  /** Korean. */
  KO_KR = 'ko-KR',
  /** German. */
  DE_DE = 'de-DE',
  /** French. */
  FR_FR = 'fr-FR',
  /** Spanish, US. */
  ES_US = 'es-US',
  /** Spanish, Spain. */
  ES_ES = 'es-ES',
  /** Portuguese, Brazilian. */
  PT_BR = 'pt-BR',
  /** Hindi. */
  HI_IN = 'hi-IN',
}

/** Properties of a {@link TranscriptionJob}. */
export interface TranscriptionJobProps {
  /** The bucket holding the media file (audio or video). */
  readonly mediaBucket: s3.IBucket;
  /**
   * The media file's object key: a fixed key, or a JSONPath starting with `$` that reads it from
   * the state input at run time (e.g. `$.audioKey`; give `mediaKeyPrefix` then).
   */
  readonly mediaKey: string;
  /**
   * The key prefix every media key read through a JSONPath `mediaKey` starts with (e.g.
   * `calls/`): the state machine may read only objects under it. Required with a JSONPath
   * `mediaKey`; not allowed with a fixed key, which is granted exactly.
   * @default - none (a fixed `mediaKey`)
   */
  readonly mediaKeyPrefix?: string;
  /**
   * The language spoken in the media. Give either this or `identifyLanguage`.
   * @default - none (give `identifyLanguage: true`)
   */
  readonly languageCode?: TranscriptionLanguage;
  /**
   * Let Transcribe identify the language (`IdentifyLanguage`). Give either this or `languageCode`.
   * @default false
   * @see https://docs.aws.amazon.com/transcribe/latest/dg/lang-id.html
   */
  readonly identifyLanguage?: boolean;
  /** The bucket Transcribe writes the transcript to (`OutputBucketName`). */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the transcript (`OutputKey`), ending in `/`: Transcribe writes
   * `<prefix><job name>.json`. Letters, digits and `-_.!*'()/` only.
   * @default 'transcripts/'
   * @see https://docs.aws.amazon.com/transcribe/latest/APIReference/API_StartTranscriptionJob.html#transcribe-StartTranscriptionJob-request-OutputKey
   */
  readonly outputKeyPrefix?: string;
  /**
   * The key Transcribe encrypts the transcript with (`OutputEncryptionKMSKeyId`).
   * @default - the output bucket's `encryptionKey`; without one, Transcribe uses SSE-S3
   */
  readonly outputEncryptionKey?: kms.IKey;
  /**
   * The wait between two status checks of the job.
   * Each check adds about ten events to the execution's history (at most 25,000 events, about
   * 2,400 checks), so lengthen it for long jobs. 1 second or more, whole seconds.
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;
  /**
   * The base name of the fragment's states (`<name>Start`, `<name>Wait`, ...) and of the job
   * (`<execution name>-<name>`): 1-71 letters and digits. The job's description ends at `$.<name>`.
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * How the start and status calls are retried; an empty list switches retrying off.
   * @default - every 5 s with backoff 2 and jitter, 6 attempts, on TranscriptionJob.RETRYABLE_ERRORS
   */
  readonly retries?: JobRetry[];
}

/** Transcribe's job statuses. @see https://docs.aws.amazon.com/transcribe/latest/APIReference/API_TranscriptionJob.html */
const COMPLETED = 'COMPLETED';
const FAILED = 'FAILED';

/** Characters Transcribe accepts in `OutputKey` (API reference: `[a-zA-Z0-9-_.!*'()/]{1,1024}`). */
const OUTPUT_KEY = /^[a-zA-Z0-9\-_.!*'()/]{1,1024}$/;

/**
 * A Step Functions fragment that transcribes one audio or video file with an Amazon Transcribe
 * batch job and waits for it: `StartTranscriptionJob`, then `GetTranscriptionJob` every
 * `pollInterval` until the job is `COMPLETED` (the fragment ends; the job's description, with
 * `TranscriptionJob.Transcript.TranscriptFileUri`, is at `$.<name>`) or `FAILED` (the execution
 * fails with error `Transcribe.JobFailed` and Transcribe's `FailureReason` as cause). The job is
 * named `<execution name>-<name>`, so Step Functions execution names must keep to Transcribe's
 * job-name alphabet (letters, digits, `.`, `_`, `-`; the generated UUIDs do).
 *
 * Transcribe reads the media and writes the transcript with the caller's permissions, so the
 * state machine's role gets `s3:GetObject` on the media, `s3:PutObject` under the output prefix
 * and the KMS permissions of both keys; {@link TranscriptionJob.policyStatements} lists them and
 * an `MlWorkflow` that runs the fragment grants them. The loop has no poll limit: bound it with
 * the workflow's `timeout`.
 * @see https://docs.aws.amazon.com/transcribe/latest/APIReference/API_StartTranscriptionJob.html
 * @see https://docs.aws.amazon.com/transcribe/latest/dg/security_iam_id-based-policy-examples.html#auth-role-iam-user
 */
export class TranscriptionJob extends sfn.StateMachineFragment implements IWorkflowPermissions {
  /** Transcribe's throttling, quota and service errors, as Step Functions names the errors of AWS SDK integrations. */
  public static readonly RETRYABLE_ERRORS: string[] = ['Transcribe.LimitExceededException', 'Transcribe.InternalFailureException'];
  /** The error the fragment fails with when the job fails. */
  public static readonly JOB_FAILED = 'Transcribe.JobFailed';

  /** The state that starts the job (`<name>Start`). */
  public readonly startState: sfn.State;
  /** The state the fragment ends in when the job completes (`<name>Succeeded`); the next state chains onto it. */
  public readonly endStates: sfn.INextable[];
  /** The base name of the fragment's states. */
  public readonly stateName: string;
  /** Where the job's description ends, e.g. `$.Transcribe` (`GetTranscriptionJob`'s response). */
  public readonly resultJsonPath: string;
  /** The JSONPath of the transcript's S3 URI in the description. */
  public readonly transcriptUriPath: string;
  /** The media's object ARN (or ARN pattern `<bucket>/<prefix>*`) the state machine may read. */
  public readonly mediaObjectArn: string;

  private readonly props: TranscriptionJobProps;
  private readonly outputKeyPrefix: string;
  private readonly outputEncryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: TranscriptionJobProps) {
    super(scope, id);
    const name = props.stateName ?? id;
    const pollInterval = props.pollInterval ?? Duration.seconds(30);
    const retries = props.retries ?? [defaultRetry()];
    const outputKeyPrefix = props.outputKeyPrefix ?? 'transcripts/';
    const dynamicKey = isRuntimeValue(props.mediaKey);
    const region = regionProblem(this, 'transcribe');
    throwIfProblems(this, [...pollerProblems(name, pollInterval, retries), ...problemsOf(props, dynamicKey, outputKeyPrefix), ...(region ? [region] : [])]);

    this.props = props;
    this.stateName = name;
    this.outputKeyPrefix = outputKeyPrefix;
    this.outputEncryptionKey = props.outputEncryptionKey ?? props.outputBucket.encryptionKey;
    this.resultJsonPath = `$.${name}`;
    this.transcriptUriPath = `${this.resultJsonPath}.TranscriptionJob.Transcript.TranscriptFileUri`;
    this.mediaObjectArn = props.mediaBucket.arnForObjects(dynamicKey ? `${props.mediaKeyPrefix}*` : props.mediaKey);

    const bucketName = props.mediaBucket.bucketName;
    const media = dynamicKey ? { 'MediaFileUri.$': `States.Format('s3://${bucketName}/{}', ${props.mediaKey})` } : { MediaFileUri: `s3://${bucketName}/${props.mediaKey}` };
    const states = buildAiJobPoller(this, {
      name,
      service: 'transcribe',
      startApi: 'startTranscriptionJob',
      startParameters: {
        'TranscriptionJobName.$': executionJobName(name),
        Media: media,
        ...(props.languageCode ? { LanguageCode: props.languageCode } : { IdentifyLanguage: true }),
        OutputBucketName: props.outputBucket.bucketName,
        OutputKey: outputKeyPrefix,
        ...(this.outputEncryptionKey ? { OutputEncryptionKMSKeyId: this.outputEncryptionKey.keyArn } : {}),
      },
      describeApi: 'getTranscriptionJob',
      idField: 'TranscriptionJobName',
      idPath: 'TranscriptionJob.TranscriptionJobName',
      statusPath: 'TranscriptionJob.TranscriptionJobStatus',
      completed: COMPLETED,
      failed: FAILED,
      failureReasonPath: 'TranscriptionJob.FailureReason',
      errorName: TranscriptionJob.JOB_FAILED,
      pollInterval,
      retries,
      comment: `Transcribe job ${name} of a media file in ${props.mediaBucket.node.path}`,
    });
    this.startState = states.start;
    this.endStates = [states.succeeded];
    // A media key read from the state input is the user's choice and keeps its finding (as the
    // RekognitionImageState's); MlWorkflow acknowledges these patterns on its role.
    declareWorkflowWildcards(this, [this.jobArnPattern(), this.outputObjectPattern()], WILDCARD_REASON);
  }

  /**
   * What the state machine's role needs to run the job:
   * - `transcribe:StartTranscriptionJob`, which has no resource type (`"*"`), limited by the
   *   `transcribe:OutputBucketName`, `transcribe:OutputKey` (and `transcribe:OutputEncryptionKMSKeyId`)
   *   condition keys to this job's output;
   * - `transcribe:GetTranscriptionJob` on the jobs named `*-<name>`;
   * - `s3:GetObject` on the media (Transcribe reads it with the caller's permissions) and
   *   `kms:Decrypt` through S3 on the media bucket's key;
   * - `s3:PutObject` under the output prefix and `kms:Encrypt`/`kms:GenerateDataKey` on the
   *   output key ("the role making the request must have permission to use the specified KMS key").
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazontranscribe.html
   * @see https://docs.aws.amazon.com/transcribe/latest/dg/key-management.html
   */
  public policyStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const props = this.props;
    const conditions: Record<string, string> = { 'transcribe:OutputBucketName': props.outputBucket.bucketName, 'transcribe:OutputKey': this.outputKeyPrefix };
    if (this.outputEncryptionKey) conditions['transcribe:OutputEncryptionKMSKeyId'] = this.outputEncryptionKey.keyArn;
    const statements = [
      new iam.PolicyStatement({ actions: ['transcribe:StartTranscriptionJob'], resources: ['*'], conditions: { StringEquals: conditions } }),
      new iam.PolicyStatement({ actions: ['transcribe:GetTranscriptionJob'], resources: [this.jobArnPattern()] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.mediaObjectArn] }),
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.outputObjectPattern()] }),
    ];
    const mediaKey = props.mediaBucket.encryptionKey;
    if (mediaKey) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [mediaKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      );
    }
    if (this.outputEncryptionKey) {
      statements.push(new iam.PolicyStatement({ actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [this.outputEncryptionKey.keyArn] }));
    }
    return statements;
  }

  /** The JSONPath of a field of the job's description, e.g. `pathOf('TranscriptionJob.LanguageCode')`. */
  public pathOf(field: string): string {
    return `${this.resultJsonPath}.${field}`;
  }

  /**
   * Transcription jobs named `<execution name>-<name>`. The pattern keeps the name's case: the
   * `transcriptionjob` ARN ends in the job name as given (`transcription-job/${JobName}`).
   */
  private jobArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'transcribe', resource: 'transcription-job', resourceName: `*-${this.stateName}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** Transcribe writes `<prefix><job name>.json`, and a write-access check file under the same prefix. */
  private outputObjectPattern(): string {
    return this.props.outputBucket.arnForObjects(`${this.outputKeyPrefix}*`);
  }
}

const WILDCARD_REASON =
  'Transcription jobs named from the execution at run time ("<execution name>-<state name>"), and the transcript files Transcribe names after the job under the output prefix of one bucket.';

/** Throttling, quota and service errors, retried with backoff: the calls are cheap to repeat. */
function defaultRetry(): JobRetry {
  return new JobRetry({ errors: TranscriptionJob.RETRYABLE_ERRORS, interval: Duration.seconds(5), maxAttempts: 6, backoffRate: 2, jitter: true });
}

function problemsOf(props: TranscriptionJobProps, dynamicKey: boolean, outputKeyPrefix: string): string[] {
  const problems: string[] = [];
  if (props.languageCode === undefined && !props.identifyLanguage) {
    problems.push('neither languageCode nor identifyLanguage is set; give the language spoken (e.g. TranscriptionLanguage.ZH_CN) or identifyLanguage: true.');
  }
  if (props.languageCode !== undefined && props.identifyLanguage) {
    problems.push(`languageCode "${props.languageCode}" and identifyLanguage are both set, but Transcribe takes one of them; remove one.`);
  }
  if (props.languageCode !== undefined && !Object.values(TranscriptionLanguage).includes(props.languageCode)) {
    problems.push(`languageCode "${String(props.languageCode)}" is not a TranscriptionLanguage; use one of ${Object.values(TranscriptionLanguage).join(', ')}.`);
  }
  problems.push(...objectKeyProblems(
    { key: 'mediaKey', prefix: 'mediaKeyPrefix', things: 'media', lengthRule: 'an S3 object key has', pathExample: '$.audioKey', prefixExample: 'calls/' },
    props.mediaKey, props.mediaKeyPrefix, dynamicKey,
  ));
  if (!Token.isUnresolved(outputKeyPrefix) && (!OUTPUT_KEY.test(outputKeyPrefix) || !outputKeyPrefix.endsWith('/') || outputKeyPrefix.startsWith('/'))) {
    problems.push(
      `outputKeyPrefix "${outputKeyPrefix}" must be a folder such as "transcripts/": letters, digits and -_.!*'()/ (Transcribe's OutputKey alphabet), ending in "/" and not starting with it. ` +
        'Transcribe writes <prefix><job name>.json.',
    );
  }
  return problems;
}
