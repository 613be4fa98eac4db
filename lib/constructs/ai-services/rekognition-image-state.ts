import { Duration, Stack, Token, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { throwIfProblems } from '../../private/errors';
import { IWorkflowPermissions, JobRetry } from '../workflows';
import { hasEndpoint, isRuntimeValue, objectKeyProblems, regionProblem } from './ai-service-support';
import { RekognitionError } from './rekognition-error';
import { RekognitionImageAnalysis } from './rekognition-image-analysis';

/** Properties of a {@link RekognitionImageState}. */
export interface RekognitionImageStateProps {
  /** What the state detects: labels (`DetectLabels`) or unsafe content (`DetectModerationLabels`). */
  readonly analysis: RekognitionImageAnalysis;
  /**
   * The bucket holding the image (JPEG or PNG). It must be in the state machine's region:
   * Rekognition reads only objects in the region it is called in.
   * @see https://docs.aws.amazon.com/rekognition/latest/APIReference/API_S3Object.html
   */
  readonly bucket: s3.IBucket;
  /**
   * The image's object key: a fixed key (1-1024 characters), or a JSONPath starting with `$`
   * that reads it from the state input at run time (e.g. `$.imageKey`; give `keyPrefix` then).
   */
  readonly key: string;
  /**
   * The key prefix every image read through a JSONPath `key` lies under (e.g. `documents/`):
   * the state machine may read only objects under it. Required with a JSONPath `key`; not
   * allowed with a fixed key, which is granted exactly.
   * @default - none (a fixed `key`)
   */
  readonly keyPrefix?: string;
  /**
   * The key the images are encrypted with (SSE-KMS). Rekognition reads the object with the
   * state machine's permissions, so its role may decrypt with this key, through S3 only.
   * @default - the bucket's `encryptionKey`, if it has one
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The lowest confidence (0-100) of a label Rekognition returns.
   * @default - Rekognition's default (55 for labels, 50 for moderation labels)
   * @see https://docs.aws.amazon.com/rekognition/latest/APIReference/API_DetectLabels.html#rekognition-DetectLabels-request-MinConfidence
   */
  readonly minConfidence?: number;
  /**
   * The most labels returned (at least 1); labels analysis only.
   * @default - all labels Rekognition finds
   */
  readonly maxLabels?: number;
  /**
   * The state's name: 1-80 letters and digits, unique in the state machine. The result is at
   * `$.<state name>`.
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * How the state is retried; an empty list switches retrying off.
   * @default - every 2 s with backoff 2 and jitter, 6 attempts, on RekognitionError.RETRYABLE (throttling, throughput and service errors)
   */
  readonly retries?: JobRetry[];
  /**
   * A comment on the state.
   * @default - describes the analysis and the bucket
   */
  readonly comment?: string;
}

/** The API and IAM action of each analysis. */
const APIS: Record<RekognitionImageAnalysis, { readonly api: string; readonly action: string }> = {
  [RekognitionImageAnalysis.LABELS]: { api: 'detectLabels', action: 'rekognition:DetectLabels' },
  [RekognitionImageAnalysis.MODERATION]: { api: 'detectModerationLabels', action: 'rekognition:DetectModerationLabels' },
};

const STATE_NAME = /^[A-Za-z][A-Za-z0-9]{0,79}$/;

/**
 * A Step Functions task state that detects labels or unsafe content in an image stored in S3,
 * with the AWS SDK integration of Amazon Rekognition
 * (`arn:<partition>:states:::aws-sdk:rekognition:detectLabels` or `…:detectModerationLabels`).
 * It puts Rekognition's response (`Labels` or `ModerationLabels`) at `$.<state name>`.
 *
 * Rekognition reads the image with the caller's permissions (forward access sessions), so the
 * state machine's role needs `s3:GetObject` on the image and, for SSE-KMS objects, `kms:Decrypt`
 * on their key through S3. {@link RekognitionImageState.policyStatements} grants exactly those,
 * and the Rekognition action (which IAM cannot scope: `Resource: "*"`); an `MlWorkflow` running
 * the state grants them to its role.
 * @see https://docs.aws.amazon.com/rekognition/latest/dg/images-s3.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html
 */
export class RekognitionImageState extends sfn.CustomState implements IWorkflowPermissions {
  /** What the state detects. */
  public readonly analysis: RekognitionImageAnalysis;
  /** The bucket holding the images. */
  public readonly bucket: s3.IBucket;
  /** The key the images are encrypted with, if any. */
  public readonly encryptionKey?: kms.IKey;
  /** Where the state puts Rekognition's response, e.g. `$.Moderate`. */
  public readonly resultJsonPath: string;
  /** The Step Functions integration the state calls. */
  public readonly integrationArn: string;
  /** The object ARN (or ARN pattern `<bucket>/<prefix>*`) the state may read. */
  public readonly objectArn: string;

  constructor(scope: Construct, id: string, props: RekognitionImageStateProps) {
    const api = APIS[props.analysis];
    const name = props.stateName ?? id;
    const dynamicKey = isRuntimeValue(props.key);
    const image = { S3Object: { Bucket: props.bucket.bucketName, ...(dynamicKey ? { 'Name.$': props.key } : { Name: props.key }) } };
    const integrationArn = api ? `arn:${Stack.of(scope).partition}:states:::aws-sdk:rekognition:${api.api}` : '';
    super(scope, id, {
      stateJson: {
        Type: 'Task',
        Comment: props.comment ?? `Rekognition ${api?.api ?? props.analysis} on an image in ${props.bucket.node.path}`,
        Resource: integrationArn,
        Parameters: {
          Image: image,
          ...(props.minConfidence !== undefined ? { MinConfidence: props.minConfidence } : {}),
          ...(props.maxLabels !== undefined ? { MaxLabels: props.maxLabels } : {}),
        },
        ResultPath: `$.${name}`,
      },
    });

    const retries = props.retries ?? [defaultRetry()];
    throwIfProblems(this, problemsOf(this, props, name, dynamicKey, retries));

    this.analysis = props.analysis;
    this.bucket = props.bucket;
    this.encryptionKey = props.encryptionKey ?? props.bucket.encryptionKey;
    this.resultJsonPath = `$.${name}`;
    // sfn.CustomState passes no stateName to sfn.State: set State's protected fields, so `stateId`
    // (the name in the state machine) is this name (as SageMakerJobState does).
    Object.assign(this, { stateName: name, resultPath: this.resultJsonPath });
    this.integrationArn = integrationArn;
    this.objectArn = props.bucket.arnForObjects(dynamicKey ? `${props.keyPrefix}*` : props.key);
    for (const retry of retries) {
      if (retry.maxAttempts !== 0) this.addRetry(retry.toRetryProps());
    }
  }

  /**
   * Whether Amazon Rekognition has an endpoint in `region` (true for an unresolved token or a
   * region AWS's endpoint data does not know).
   */
  public static isAvailableIn(region: string): boolean {
    return hasEndpoint('rekognition', region);
  }

  /**
   * What the state machine's role needs to run this state: the Rekognition action (no resource
   * type, so `"*"`), `s3:GetObject` on the image (or the images under `keyPrefix`), and
   * `kms:Decrypt` on the images' key when S3 calls KMS on the role's behalf.
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrekognition.html
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   */
  public policyStatements(): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({ actions: [APIS[this.analysis].action], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.objectArn] }),
    ];
    if (this.encryptionKey) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    return statements;
  }

  /**
   * The JSONPath of a field of Rekognition's response, for later states, e.g.
   * `pathOf('ModerationLabels')` or `pathOf('Labels')`.
   */
  public pathOf(field: string): string {
    return `${this.resultJsonPath}.${field}`;
  }
}

/** Throttling and service errors, retried quickly: the call is synchronous and cheap to repeat. */
function defaultRetry(): JobRetry {
  return new JobRetry({ errors: RekognitionError.RETRYABLE, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, jitter: true });
}

function problemsOf(scope: Construct, props: RekognitionImageStateProps, name: string, dynamicKey: boolean, retries: JobRetry[]): string[] {
  const problems: string[] = [];
  if (!APIS[props.analysis]) {
    problems.push(`analysis "${String(props.analysis)}" is not one of ${Object.keys(APIS).join(', ')}; use RekognitionImageAnalysis.`);
  }
  if (!Token.isUnresolved(name) && !STATE_NAME.test(name)) {
    problems.push(`state name "${name}" must be 1-80 letters and digits, starting with a letter: it is the JSONPath of the state's result.`);
  }
  problems.push(...objectKeyProblems(
    { key: 'key', prefix: 'keyPrefix', things: 'images', lengthRule: 'an S3 object key for Rekognition must have', pathExample: '$.imageKey', prefixExample: 'images/' },
    props.key, props.keyPrefix, dynamicKey,
  ));
  const confidence = props.minConfidence;
  if (confidence !== undefined && !Token.isUnresolved(confidence) && !(confidence >= 0 && confidence <= 100)) {
    problems.push(`minConfidence is ${confidence}, but must be between 0 and 100 (a percentage).`);
  }
  const maxLabels = props.maxLabels;
  if (maxLabels !== undefined && props.analysis !== RekognitionImageAnalysis.LABELS) {
    problems.push(`maxLabels is set, but applies only to RekognitionImageAnalysis.LABELS (DetectModerationLabels takes no MaxLabels); remove it.`);
  } else if (maxLabels !== undefined && !Token.isUnresolved(maxLabels) && !(Number.isInteger(maxLabels) && maxLabels >= 1)) {
    problems.push(`maxLabels is ${maxLabels}, but must be a whole number of at least 1.`);
  }
  const stateRegion = Stack.of(scope).region;
  const region = regionProblem(scope, 'rekognition');
  if (region) problems.push(region);
  const bucketRegion = props.bucket.env.region;
  if (!Token.isUnresolved(stateRegion) && !Token.isUnresolved(bucketRegion) && stateRegion !== bucketRegion) {
    problems.push(
      `bucket ${props.bucket.node.path} is in ${bucketRegion}, but the state machine calls Rekognition in ${stateRegion}; Rekognition reads only S3 objects in its own region. Use a bucket in ${stateRegion}.`,
    );
  }
  for (const retry of retries) problems.push(...retry.problems());
  return problems;
}
