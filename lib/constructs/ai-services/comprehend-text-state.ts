import { Duration, Stack, Token, aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { throwIfProblems, validationError } from '../../private/errors';
import { IWorkflowPermissions, JobRetry } from '../workflows';
import { hasEndpoint, isRuntimeValue, regionProblem } from './ai-service-support';
import { ComprehendTextAnalysis } from './comprehend-text-analysis';
import { ComprehendError } from './comprehend-text-error';
import { ComprehendLanguage } from './comprehend-text-language';

/** Properties of a {@link ComprehendTextState}. */
export interface ComprehendTextStateProps {
  /** What the state finds in the text: sentiment, entities, key phrases or the dominant language. */
  readonly analysis: ComprehendTextAnalysis;
  /**
   * The text: a JSONPath starting with `$` that reads it from the state input at run time (e.g.
   * `$.note`), or a fixed text. Comprehend takes UTF-8 text of at most 5 KB for sentiment and
   * 100 KB for the other analyses, and at least 20 characters for the dominant language; a fixed
   * text is checked against these limits at synth, a JSONPath's text at run time
   * (`ComprehendError.TEXT_SIZE_LIMIT_EXCEEDED`).
   * @see https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectSentiment.html#comprehend-DetectSentiment-request-Text
   */
  readonly text: string;
  /**
   * The language of the text. Sentiment, entities and key phrases need a language (this or
   * `languageCodePath`); the dominant language analysis takes none.
   * @default - none (give `languageCodePath` instead, or none for DOMINANT_LANGUAGE)
   */
  readonly languageCode?: ComprehendLanguage;
  /**
   * A JSONPath (starting with `$`) that reads the language code at run time, e.g. the result of
   * an earlier DOMINANT_LANGUAGE state (`detectLanguage.dominantLanguageCodePath`). A language
   * the analysis does not support fails the state with `ComprehendError.UNSUPPORTED_LANGUAGE`,
   * which a `Catch` can handle.
   * @default - none (give `languageCode` instead, or none for DOMINANT_LANGUAGE)
   */
  readonly languageCodePath?: string;
  /**
   * The state's name: 1-80 letters and digits, unique in the state machine. The result is at
   * `$.<state name>`.
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * How the state is retried; an empty list switches retrying off.
   * @default - every 2 s with backoff 2 and jitter, 6 attempts, on ComprehendError.RETRYABLE (service errors and throttling)
   */
  readonly retries?: JobRetry[];
  /**
   * A comment on the state.
   * @default - describes the analysis
   */
  readonly comment?: string;
}

/** The API, IAM action and largest text (UTF-8 bytes) of each analysis. */
const APIS: Record<ComprehendTextAnalysis, { readonly api: string; readonly action: string; readonly maxBytes: number; readonly takesLanguage: boolean }> = {
  // "The maximum string size is 5 KB" (earlier: "fewer than 5,000 bytes"): the lower figure is checked.
  // https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectSentiment.html
  [ComprehendTextAnalysis.SENTIMENT]: { api: 'detectSentiment', action: 'comprehend:DetectSentiment', maxBytes: 5_000, takesLanguage: true },
  // https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectEntities.html ("The maximum string size is 100 KB")
  [ComprehendTextAnalysis.ENTITIES]: { api: 'detectEntities', action: 'comprehend:DetectEntities', maxBytes: 100_000, takesLanguage: true },
  // https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectKeyPhrases.html ("less than 100 KB of UTF-8 encoded characters")
  [ComprehendTextAnalysis.KEY_PHRASES]: { api: 'detectKeyPhrases', action: 'comprehend:DetectKeyPhrases', maxBytes: 100_000, takesLanguage: true },
  // https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectDominantLanguage.html ("at least 20 characters. The maximum string size is 100 KB")
  [ComprehendTextAnalysis.DOMINANT_LANGUAGE]: { api: 'detectDominantLanguage', action: 'comprehend:DetectDominantLanguage', maxBytes: 100_000, takesLanguage: false },
};

/**
 * The languages each analysis supports: sentiment, entities and key phrases support every
 * language Comprehend lists (the members of ComprehendLanguage).
 * @see https://docs.aws.amazon.com/comprehend/latest/dg/supported-languages.html#supported-languages-feature
 */
const SUPPORTED_LANGUAGES: Record<ComprehendTextAnalysis, readonly string[]> = {
  [ComprehendTextAnalysis.SENTIMENT]: Object.values(ComprehendLanguage),
  [ComprehendTextAnalysis.ENTITIES]: Object.values(ComprehendLanguage),
  [ComprehendTextAnalysis.KEY_PHRASES]: Object.values(ComprehendLanguage),
  [ComprehendTextAnalysis.DOMINANT_LANGUAGE]: [],
};

/** The fewest characters DetectDominantLanguage accepts. */
const DOMINANT_LANGUAGE_MIN_CHARACTERS = 20;

const STATE_NAME = /^[A-Za-z][A-Za-z0-9]{0,79}$/;

/**
 * A Step Functions task state that analyses a text with the AWS SDK integration of Amazon
 * Comprehend (`arn:<partition>:states:::aws-sdk:comprehend:detectSentiment`, `…:detectEntities`,
 * `…:detectKeyPhrases` or `…:detectDominantLanguage`), synchronously, and puts Comprehend's
 * response at `$.<state name>`.
 *
 * {@link ComprehendTextState.policyStatements} grants the one Comprehend action it calls; IAM
 * supports no resource for these calls on Comprehend's built-in models, so the statement names
 * `"*"`. An `MlWorkflow` running the state grants it to its role.
 * @see https://docs.aws.amazon.com/comprehend/latest/dg/how-it-works.html
 */
export class ComprehendTextState extends sfn.CustomState implements IWorkflowPermissions {
  /** What the state finds in the text. */
  public readonly analysis: ComprehendTextAnalysis;
  /** Where the state puts Comprehend's response, e.g. `$.Sentiment`. */
  public readonly resultJsonPath: string;
  /** The Step Functions integration the state calls. */
  public readonly integrationArn: string;

  constructor(scope: Construct, id: string, props: ComprehendTextStateProps) {
    const api = APIS[props.analysis];
    const name = props.stateName ?? id;
    const text = isRuntimeValue(props.text) ? { 'Text.$': props.text } : { Text: props.text };
    const language =
      props.languageCodePath !== undefined ? { 'LanguageCode.$': props.languageCodePath } : props.languageCode !== undefined ? { LanguageCode: props.languageCode } : {};
    const integrationArn = api ? `arn:${Stack.of(scope).partition}:states:::aws-sdk:comprehend:${api.api}` : '';
    super(scope, id, {
      stateJson: {
        Type: 'Task',
        Comment: props.comment ?? `Comprehend ${api?.api ?? props.analysis}`,
        Resource: integrationArn,
        Parameters: { ...text, ...language },
        ResultPath: `$.${name}`,
      },
    });

    const retries = props.retries ?? [defaultRetry()];
    throwIfProblems(this, problemsOf(this, props, name, retries));

    this.analysis = props.analysis;
    this.resultJsonPath = `$.${name}`;
    // sfn.CustomState passes no stateName to sfn.State: set State's protected fields, so `stateId`
    // (the name in the state machine) is this name (as SageMakerJobState does).
    Object.assign(this, { stateName: name, resultPath: this.resultJsonPath });
    this.integrationArn = integrationArn;
    for (const retry of retries) {
      if (retry.maxAttempts !== 0) this.addRetry(retry.toRetryProps());
    }
  }

  /**
   * Whether Amazon Comprehend has an endpoint in `region` (true for an unresolved token or a
   * region AWS's endpoint data does not know).
   */
  public static isAvailableIn(region: string): boolean {
    return hasEndpoint('comprehend', region);
  }

  /**
   * What the state machine's role needs to run this state: the one Comprehend action it calls,
   * on `"*"` (the action takes no resource for Comprehend's built-in models).
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html
   */
  public policyStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: [APIS[this.analysis].action], resources: ['*'] })];
  }

  /**
   * The JSONPath of a field of Comprehend's response, for later states, e.g.
   * `pathOf('Sentiment')` or `pathOf('Entities')`.
   */
  public pathOf(field: string): string {
    return `${this.resultJsonPath}.${field}`;
  }

  /**
   * The JSONPath of the language code a DOMINANT_LANGUAGE state lists first
   * (`$.<state>.Languages[0].LanguageCode`), for a later state's `languageCodePath`.
   */
  public get dominantLanguageCodePath(): string {
    if (this.analysis !== ComprehendTextAnalysis.DOMINANT_LANGUAGE) {
      throw validationError(this, `dominantLanguageCodePath is only known for ComprehendTextAnalysis.DOMINANT_LANGUAGE states; this state runs ${this.analysis}.`);
    }
    return this.pathOf('Languages[0].LanguageCode');
  }
}

/** Throttling and service errors, retried quickly: the call is synchronous and cheap to repeat. */
function defaultRetry(): JobRetry {
  return new JobRetry({ errors: ComprehendError.RETRYABLE, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, jitter: true });
}

function problemsOf(scope: IConstruct, props: ComprehendTextStateProps, name: string, retries: JobRetry[]): string[] {
  const problems: string[] = [];
  const region = regionProblem(scope, 'comprehend');
  if (region) problems.push(region);
  const api = APIS[props.analysis];
  if (!api) {
    problems.push(`analysis "${String(props.analysis)}" is not one of ${Object.keys(APIS).join(', ')}; use ComprehendTextAnalysis.`);
    return problems;
  }
  if (!Token.isUnresolved(name) && !STATE_NAME.test(name)) {
    problems.push(`state name "${name}" must be 1-80 letters and digits, starting with a letter: it is the JSONPath of the state's result.`);
  }
  const text = props.text;
  if (!Token.isUnresolved(text) && !isRuntimeValue(text)) {
    const bytes = Buffer.byteLength(text, 'utf8');
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    if (bytes === 0) {
      problems.push('text is empty; give the text, or a JSONPath such as "$.note" that reads it from the state input.');
    } else if (bytes > api.maxBytes) {
      problems.push(`text "${shown}" has ${bytes} bytes of UTF-8, but ${api.api} takes at most ${api.maxBytes}; shorten it, or split it over several states.`);
    }
    if (!api.takesLanguage && bytes > 0 && [...text].length < DOMINANT_LANGUAGE_MIN_CHARACTERS) {
      problems.push(`text "${shown}" has ${[...text].length} characters, but detectDominantLanguage needs at least ${DOMINANT_LANGUAGE_MIN_CHARACTERS}.`);
    }
  }
  const given = [props.languageCode !== undefined ? 'languageCode' : undefined, props.languageCodePath !== undefined ? 'languageCodePath' : undefined].filter((g) => g);
  if (!api.takesLanguage && given.length > 0) {
    problems.push(`${given.join(' and ')} is set, but ${api.api} detects the language itself and takes none; remove it.`);
  } else if (api.takesLanguage && given.length === 0) {
    problems.push(`${api.api} needs the text's language: give languageCode (e.g. ComprehendLanguage.ENGLISH) or languageCodePath (e.g. a DOMINANT_LANGUAGE state's dominantLanguageCodePath).`);
  } else if (given.length === 2) {
    problems.push('languageCode and languageCodePath are both set; give one.');
  }
  const code = props.languageCode;
  if (api.takesLanguage && code !== undefined && !Token.isUnresolved(code) && !SUPPORTED_LANGUAGES[props.analysis].includes(code)) {
    problems.push(`languageCode "${code}" is not supported by ${api.api}; it supports ${SUPPORTED_LANGUAGES[props.analysis].join(', ')}.`);
  }
  const path = props.languageCodePath;
  if (path !== undefined && !Token.isUnresolved(path) && !path.startsWith('$')) {
    problems.push(`languageCodePath "${path}" must be a JSONPath starting with "$" (e.g. "$.DetectLanguage.Languages[0].LanguageCode"); for a fixed language use languageCode.`);
  }
  for (const retry of retries) problems.push(...retry.problems());
  return problems;
}
