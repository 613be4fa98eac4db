import { Stack, aws_kms as kms, aws_s3 as s3, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ComprehendError,
  ComprehendTextAnalysis,
  ComprehendTextState,
  RekognitionImageAnalysis,
  RekognitionImageState,
} from '../constructs/ai-services';
import { MlWorkflow } from '../constructs/workflows';
import { acknowledgeExecutionNamedDocuments } from './nag-acknowledgements';

/** Where {@link addLoanNotesInsightsWorkflow} reads a loan application's note and document image. */
export interface LoanNotesInsightsWorkflowProps {
  /** The bucket the applications' document images are uploaded to (in the stack's region). */
  readonly dataBucket: s3.IBucket;
  /** The key for the workflow's logs and state data (and of the bucket's objects). */
  readonly key: kms.IKey;
  /**
   * The key prefix the document images are uploaded under; the workflow may read only these.
   * @default 'loan-documents/'
   */
  readonly documentPrefix?: string;
}

/**
 * A Step Functions workflow that analyses a loan application's free-text note and its uploaded
 * document image with managed AI services. Input: `{ "note": "...", "imageKey": "loan-documents/..." }`.
 *
 * 1. `DetectLanguage`: Comprehend detects the note's dominant language.
 * 2. `NoteSentiment`: Comprehend's sentiment of the note (at most 5 KB), in the language step 1
 *    lists first; a language sentiment analysis does not support goes to `SentimentSkipped`
 *    (the error is kept at `$.SentimentError`) instead of failing the execution.
 * 3. `ModerateDocument`: Rekognition's moderation labels (confidence ≥ 60) of the image at
 *    `imageKey`, which must lie under `documentPrefix` of the data bucket.
 *
 * Each AI state retries throttling and service errors (every 2 s, backoff 2, 6 attempts). The
 * result of each state is at `$.<state name>` of the execution output.
 *
 * Returns undefined (adds nothing) in a region without Comprehend or Rekognition, such as the
 * AWS China regions.
 */
export function addLoanNotesInsightsWorkflow(scope: Construct, props: LoanNotesInsightsWorkflowProps): MlWorkflow | undefined {
  const region = Stack.of(scope).region;
  if (!ComprehendTextState.isAvailableIn(region) || !RekognitionImageState.isAvailableIn(region)) return undefined;
  const prefix = props.documentPrefix ?? 'loan-documents/';
  const detectLanguage = new ComprehendTextState(scope, 'InsightsDetectLanguage', {
    stateName: 'DetectLanguage',
    analysis: ComprehendTextAnalysis.DOMINANT_LANGUAGE,
    text: '$.note',
  });
  const sentiment = new ComprehendTextState(scope, 'InsightsNoteSentiment', {
    stateName: 'NoteSentiment',
    analysis: ComprehendTextAnalysis.SENTIMENT,
    text: '$.note',
    languageCodePath: detectLanguage.dominantLanguageCodePath,
  });
  const moderate = new RekognitionImageState(scope, 'InsightsModerateDocument', {
    stateName: 'ModerateDocument',
    analysis: RekognitionImageAnalysis.MODERATION,
    bucket: props.dataBucket,
    key: '$.imageKey',
    keyPrefix: prefix,
    minConfidence: 60,
  });
  const skipped = new sfn.Pass(scope, 'InsightsSentimentSkipped', { stateName: 'SentimentSkipped' });
  skipped.next(moderate);
  sentiment.addCatch(skipped, { errors: [ComprehendError.UNSUPPORTED_LANGUAGE], resultPath: '$.SentimentError' });

  const workflow = new MlWorkflow(scope, 'LoanNotesInsightsWorkflow', {
    comment: "Loan notes insights: a note's language and sentiment (Comprehend), moderation labels of its document image (Rekognition)",
    encryptionKey: props.key,
    states: [detectLanguage, sentiment, moderate],
  });
  acknowledgeExecutionNamedDocuments(workflow.role, moderate.objectArn, prefix);
  return workflow;
}
