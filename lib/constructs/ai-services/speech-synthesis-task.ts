import { Duration, Stack, Token, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { throwIfProblems } from '../../private/errors';
import { declareWorkflowWildcards } from '../../private/workflow-wildcards';
import { IWorkflowPermissions, JobRetry } from '../workflows';
import { buildAiJobPoller, pollerProblems } from './ai-job-poller';
import { isRuntimeValue, regionProblem } from './ai-service-support';

/**
 * The engine Amazon Polly synthesizes with (`Engine`); each voice supports some engines.
 * @see https://docs.aws.amazon.com/polly/latest/dg/voice-engines-polly.html
 */
export enum SpeechEngine {
  /** Concatenative synthesis. */
  STANDARD = 'standard',
  /** Neural text-to-speech. */
  NEURAL = 'neural',
}

/** What a speech synthesis task writes (`OutputFormat`). */
export enum SpeechOutputFormat {
  /** MP3 audio. */
  MP3 = 'mp3',
  /** Ogg Vorbis audio. */
  OGG_VORBIS = 'ogg_vorbis',
  /** Raw PCM audio (16-bit, mono, little-endian). */
  PCM = 'pcm',
  /** Speech marks (JSON lines) instead of audio; give `speechMarkTypes`. */
  JSON = 'json',
}

/** What the text is (`TextType`). */
export enum SpeechTextType {
  /** Plain text. */
  TEXT = 'text',
  /** SSML markup (`<speak>...</speak>`). */
  SSML = 'ssml',
}

/** Speech marks a JSON task returns (`SpeechMarkTypes`). @see https://docs.aws.amazon.com/polly/latest/dg/speechmarks.html */
export enum SpeechMarkType {
  /** Sentence boundaries. */
  SENTENCE = 'sentence',
  /** SSML `<mark>` tags (SSML text only). */
  SSML = 'ssml',
  /** Visemes (mouth shapes). */
  VISEME = 'viseme',
  /** Word boundaries. */
  WORD = 'word',
}

/**
 * An Amazon Polly voice, with the languages and engines it supports where the library knows them.
 * The named voices are from Polly's voice list; `PollyVoice.of()` takes any other voice, whose
 * language and engine are then not checked at synth.
 * @see https://docs.aws.amazon.com/polly/latest/dg/available-voices.html
 */
export class PollyVoice {
  /** Zhiyu, Chinese Mandarin (`cmn-CN`), female; standard and neural. */
  public static readonly ZHIYU = new PollyVoice('Zhiyu', ['cmn-CN'], [SpeechEngine.STANDARD, SpeechEngine.NEURAL]);
  /** Hiujin, Chinese Cantonese (`yue-CN`), female; neural only. */
  public static readonly HIUJIN = new PollyVoice('Hiujin', ['yue-CN'], [SpeechEngine.NEURAL]);
  /** Joanna, English US (`en-US`), female; standard and neural. */
  public static readonly JOANNA = new PollyVoice('Joanna', ['en-US'], [SpeechEngine.STANDARD, SpeechEngine.NEURAL]);
  /** Amy, English British (`en-GB`), female; standard and neural. */
  public static readonly AMY = new PollyVoice('Amy', ['en-GB'], [SpeechEngine.STANDARD, SpeechEngine.NEURAL]);
  /** Brian, English British (`en-GB`), male; standard and neural. */
  public static readonly BRIAN = new PollyVoice('Brian', ['en-GB'], [SpeechEngine.STANDARD, SpeechEngine.NEURAL]);
  /** Aditi, bilingual English Indian (`en-IN`) and Hindi (`hi-IN`), female; standard only. */
  public static readonly ADITI = new PollyVoice('Aditi', ['en-IN', 'hi-IN'], [SpeechEngine.STANDARD]);

  /**
   * Any voice by its `VoiceId` (e.g. `Takumi`); its language and engines are not checked at synth.
   */
  public static of(voiceId: string): PollyVoice {
    return new PollyVoice(voiceId, [], []);
  }

  /** Polly's `VoiceId`. */
  public readonly voiceId: string;
  /** The language codes the voice speaks, the first its default (empty when not known). */
  public readonly languages: string[];
  /** The engines the voice supports (empty when not known). */
  public readonly engines: SpeechEngine[];

  private constructor(voiceId: string, languages: string[], engines: SpeechEngine[]) {
    this.voiceId = voiceId;
    this.languages = languages;
    this.engines = engines;
  }
}

/** Properties of a {@link SpeechSynthesisTask}. */
export interface SpeechSynthesisTaskProps {
  /**
   * The text to speak: fixed text, or a JSONPath starting with `$` that reads it from the state
   * input at run time (e.g. `$.summary`). A task takes up to 100,000 billed characters (200,000
   * characters in all, SSML tags included); fixed text is checked at synth.
   * @see https://docs.aws.amazon.com/polly/latest/dg/asynchronous.html
   */
  readonly text: string;
  /**
   * Whether the text is plain text or SSML.
   * @default SpeechTextType.TEXT
   */
  readonly textType?: SpeechTextType;
  /** The voice, e.g. `PollyVoice.ZHIYU` for Mandarin Chinese. */
  readonly voice: PollyVoice;
  /**
   * The engine.
   * @default SpeechEngine.STANDARD
   */
  readonly engine?: SpeechEngine;
  /**
   * The language, for a bilingual voice (e.g. `hi-IN` for `PollyVoice.ADITI`).
   * @default - the voice's default language
   */
  readonly languageCode?: string;
  /**
   * What the task writes.
   * @default SpeechOutputFormat.MP3
   */
  readonly outputFormat?: SpeechOutputFormat;
  /**
   * The speech marks to return; required with `SpeechOutputFormat.JSON` and allowed only with it.
   * @default - none (audio)
   */
  readonly speechMarkTypes?: SpeechMarkType[];
  /** The bucket Polly writes the output to (`OutputS3BucketName`). */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the output (`OutputS3KeyPrefix`): Polly writes `<prefix><task id>.<format>`.
   * 1-800 letters, digits and `/!-_.*'()`.
   * @default 'speech/'
   */
  readonly outputKeyPrefix?: string;
  /**
   * The wait between two status checks of the task.
   * Each check adds about ten events to the execution's history (at most 25,000 events, about
   * 2,400 checks), so lengthen it for long jobs. 1 second or more, whole seconds.
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;
  /**
   * The base name of the fragment's states (`<name>Start`, `<name>Wait`, ...): 1-71 letters and
   * digits. The task's description ends at `$.<name>`.
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * How the start and status calls are retried; an empty list switches retrying off.
   * @default - every 5 s with backoff 2 and jitter, 6 attempts, on SpeechSynthesisTask.RETRYABLE_ERRORS
   */
  readonly retries?: JobRetry[];
}

/** The most characters of a task: 100,000 billed (all of plain text), 200,000 in all (SSML). */
const MAX_BILLED_CHARACTERS = 100_000;
const MAX_TOTAL_CHARACTERS = 200_000;

/** `OutputS3KeyPrefix` (API reference: `^[0-9a-zA-Z\/\!\-_\.\*\'\(\)]{0,800}$`); empty is refused: it would grant the whole bucket. */
const OUTPUT_KEY_PREFIX = /^[0-9a-zA-Z/!\-_.*'()]{1,800}$/;

/**
 * A Step Functions fragment that synthesizes speech with an Amazon Polly asynchronous synthesis
 * task and waits for it: `StartSpeechSynthesisTask`, then `GetSpeechSynthesisTask` every
 * `pollInterval` until the task is `completed` (the fragment ends; the task's description, with
 * `SynthesisTask.OutputUri`, is at `$.<name>`) or `failed` (the execution fails with error
 * `Polly.TaskFailed` and Polly's `TaskStatusReason` as cause).
 *
 * Polly writes the output to the bucket with the caller's permissions, so the state machine's
 * role gets `s3:PutObject` under the output prefix and, for a bucket encrypted with a KMS key,
 * `kms:GenerateDataKey` on that key through S3 (S3 encrypts the object with the bucket's default
 * key on the caller's behalf; Polly's API takes no key of its own). The Polly actions take no
 * resource (`"*"`). Polly is offered in one China region only, cn-northwest-1 (Ningxia): a stack
 * in a region without a Polly endpoint is refused at synth.
 * @see https://docs.aws.amazon.com/polly/latest/dg/asynchronous.html
 * @see https://docs.aws.amazon.com/polly/latest/dg/asynchronous-iam.html
 */
export class SpeechSynthesisTask extends sfn.StateMachineFragment implements IWorkflowPermissions {
  /** Polly's throttling and service errors, as Step Functions names the errors of AWS SDK integrations. */
  public static readonly RETRYABLE_ERRORS: string[] = ['Polly.ServiceFailureException', 'Polly.ThrottlingException'];
  /** The error the fragment fails with when the task fails. */
  public static readonly TASK_FAILED = 'Polly.TaskFailed';

  /** The state that starts the task (`<name>Start`). */
  public readonly startState: sfn.State;
  /** The state the fragment ends in when the task completes (`<name>Succeeded`); the next state chains onto it. */
  public readonly endStates: sfn.INextable[];
  /** The base name of the fragment's states. */
  public readonly stateName: string;
  /** Where the task's description ends, e.g. `$.Speak` (`GetSpeechSynthesisTask`'s response). */
  public readonly resultJsonPath: string;
  /** The JSONPath of the output's URI in the description. */
  public readonly outputUriPath: string;

  private readonly outputBucket: s3.IBucket;
  private readonly outputKeyPrefix: string;
  private readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: SpeechSynthesisTaskProps) {
    super(scope, id);
    const name = props.stateName ?? id;
    const pollInterval = props.pollInterval ?? Duration.seconds(15);
    const retries = props.retries ?? [defaultRetry()];
    const outputKeyPrefix = props.outputKeyPrefix ?? 'speech/';
    const engine = props.engine ?? SpeechEngine.STANDARD;
    const outputFormat = props.outputFormat ?? SpeechOutputFormat.MP3;
    const textType = props.textType ?? SpeechTextType.TEXT;
    throwIfProblems(this, [...pollerProblems(name, pollInterval, retries), ...problemsOf(this, props, engine, outputFormat, textType, outputKeyPrefix)]);

    this.stateName = name;
    this.outputBucket = props.outputBucket;
    this.outputKeyPrefix = outputKeyPrefix;
    this.encryptionKey = props.outputBucket.encryptionKey;
    this.resultJsonPath = `$.${name}`;
    this.outputUriPath = `${this.resultJsonPath}.SynthesisTask.OutputUri`;

    const states = buildAiJobPoller(this, {
      name,
      service: 'polly',
      startApi: 'startSpeechSynthesisTask',
      startParameters: {
        ...(isRuntimeValue(props.text) ? { 'Text.$': props.text } : { Text: props.text }),
        TextType: textType,
        VoiceId: props.voice.voiceId,
        Engine: engine,
        ...(props.languageCode !== undefined ? { LanguageCode: props.languageCode } : {}),
        OutputFormat: outputFormat,
        ...(props.speechMarkTypes?.length ? { SpeechMarkTypes: props.speechMarkTypes } : {}),
        OutputS3BucketName: props.outputBucket.bucketName,
        OutputS3KeyPrefix: outputKeyPrefix,
      },
      describeApi: 'getSpeechSynthesisTask',
      idField: 'TaskId',
      idPath: 'SynthesisTask.TaskId',
      statusPath: 'SynthesisTask.TaskStatus',
      // Polly's task statuses are lower camel case (scheduled, inProgress, completed, failed).
      completed: 'completed',
      failed: 'failed',
      failureReasonPath: 'SynthesisTask.TaskStatusReason',
      errorName: SpeechSynthesisTask.TASK_FAILED,
      pollInterval,
      retries,
      comment: `Polly speech synthesis task ${name} writing to ${props.outputBucket.node.path}`,
    });
    this.startState = states.start;
    this.endStates = [states.succeeded];
    declareWorkflowWildcards(
      this,
      [this.outputObjectPattern()],
      'The audio or speech-mark files Polly names after the task id at run time, under the output prefix of one bucket.',
    );
  }

  /**
   * What the state machine's role needs to run the task: `polly:StartSpeechSynthesisTask` and
   * `polly:GetSpeechSynthesisTask` (no resource type without lexicons: `"*"`), `s3:PutObject`
   * under the output prefix, and `kms:GenerateDataKey` through S3 on the output bucket's key.
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonpolly.html
   */
  public policyStatements(): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({ actions: ['polly:StartSpeechSynthesisTask', 'polly:GetSpeechSynthesisTask'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.outputObjectPattern()] }),
    ];
    if (this.encryptionKey) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    return statements;
  }

  /** The JSONPath of a field of the task's description, e.g. `pathOf('SynthesisTask.RequestCharacters')`. */
  public pathOf(field: string): string {
    return `${this.resultJsonPath}.${field}`;
  }

  private outputObjectPattern(): string {
    return this.outputBucket.arnForObjects(`${this.outputKeyPrefix}*`);
  }
}

/** Throttling and service errors, retried with backoff. */
function defaultRetry(): JobRetry {
  return new JobRetry({ errors: SpeechSynthesisTask.RETRYABLE_ERRORS, interval: Duration.seconds(5), maxAttempts: 6, backoffRate: 2, jitter: true });
}

function problemsOf(
  scope: Construct,
  props: SpeechSynthesisTaskProps,
  engine: SpeechEngine,
  outputFormat: SpeechOutputFormat,
  textType: SpeechTextType,
  outputKeyPrefix: string,
): string[] {
  const problems: string[] = [];
  const voice = props.voice;
  if (voice.engines.length > 0 && !voice.engines.includes(engine)) {
    problems.push(`voice ${voice.voiceId} does not support the ${engine} engine (it supports ${voice.engines.join(', ')}); set engine to one of those or choose another voice.`);
  }
  const language = props.languageCode;
  if (language !== undefined && !Token.isUnresolved(language) && voice.languages.length > 0 && !voice.languages.includes(language)) {
    problems.push(`languageCode "${language}" is not a language of voice ${voice.voiceId} (${voice.languages.join(', ')}); remove it or choose a voice that speaks it (e.g. PollyVoice.ZHIYU for cmn-CN).`);
  }
  const marks = props.speechMarkTypes ?? [];
  if (outputFormat === SpeechOutputFormat.JSON && marks.length === 0) {
    problems.push('outputFormat is JSON (speech marks), but speechMarkTypes is empty; name the marks to return (e.g. [SpeechMarkType.WORD]) or choose an audio format.');
  }
  if (outputFormat !== SpeechOutputFormat.JSON && marks.length > 0) {
    problems.push(`speechMarkTypes is set, but outputFormat is ${outputFormat}; speech marks are returned only with SpeechOutputFormat.JSON.`);
  }
  if (marks.includes(SpeechMarkType.SSML) && textType !== SpeechTextType.SSML) {
    problems.push('speechMarkTypes has SpeechMarkType.SSML, which needs SSML text; set textType to SpeechTextType.SSML or remove the mark type.');
  }
  const text = props.text;
  if (!Token.isUnresolved(text) && !isRuntimeValue(text)) {
    const limit = textType === SpeechTextType.TEXT ? MAX_BILLED_CHARACTERS : MAX_TOTAL_CHARACTERS;
    if (text.length === 0 || text.length > limit) {
      problems.push(
        `text has ${text.length} characters, but a synthesis task takes 1 to ${limit.toLocaleString('en-US')} ${textType === SpeechTextType.TEXT ? 'characters of plain text (all billed)' : 'characters of SSML'}; split the text into several tasks.`,
      );
    }
  }
  if (!Token.isUnresolved(outputKeyPrefix) && !OUTPUT_KEY_PREFIX.test(outputKeyPrefix)) {
    problems.push(`outputKeyPrefix "${outputKeyPrefix}" must be 1-800 letters, digits and /!-_.*'() (e.g. "speech/"); Polly writes <prefix><task id>.<format>.`);
  }
  const region = regionProblem(scope, 'polly');
  if (region) problems.push(region);
  return problems;
}
