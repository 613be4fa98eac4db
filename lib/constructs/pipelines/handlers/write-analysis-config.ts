/**
 * Custom-resource handler (CDK Provider framework, onEvent only) that places the analysis
 * configuration of a Clarify check at the S3 key the Clarify container reads it from: the
 * container expects exactly `analysis_config.json` in its `analysis_config` input, and CDK file
 * assets have hashed names, so the file is written by the stack instead.
 *
 * Create and Update write the JSON document (the bucket's default encryption applies: the request
 * sets no encryption header); Delete removes the object. The physical id is the object's S3 URI,
 * so a new bucket or key replaces the resource and CloudFormation deletes the old object.
 *
 * Imports only the AWS SDK v3 that the Node.js Lambda runtime ships.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-configure-analysis.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** The custom resource's properties (CloudFormation passes them as strings). */
export interface AnalysisConfigProperties {
  /** The bucket. */
  readonly Bucket: string;
  /** The object key, ending in `analysis_config.json`. */
  readonly Key: string;
  /** The analysis configuration, a JSON document. */
  readonly Body: string;
}

/** The part of a CloudFormation custom-resource event this handler reads. */
export interface AnalysisConfigEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: AnalysisConfigProperties & { readonly ServiceToken?: string };
}

/** What onEvent returns to the framework; `Data` becomes the resource's attributes. */
export interface AnalysisConfigResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly S3Uri: string };
}

let client: S3Client | undefined;

/** The S3 client; tests replace it through aws-sdk-client-mock. */
function s3(): S3Client {
  client ??= new S3Client({});
  return client;
}

function log(line: string): void {
  console.log(line);
}

/** `s3://bucket/key` split into its parts (undefined when it is not an S3 URI). */
function parseUri(uri: string | undefined): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri ?? '');
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** Errors after which the object is as good as deleted, or cannot be deleted by this handler any more. */
const IGNORED_ON_DELETE = ['NoSuchBucket', 'AccessDenied'];

/** Writes the configuration on Create and Update; deletes it on Delete. */
export async function onEvent(event: AnalysisConfigEvent): Promise<AnalysisConfigResponse> {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    // The physical id names the object this resource wrote (after a replacement, the old one).
    const target = parseUri(event.PhysicalResourceId) ?? (props.Bucket && props.Key ? { bucket: props.Bucket, key: props.Key } : undefined);
    if (!target) {
      log(`Delete ${event.PhysicalResourceId ?? '(no id)'}: no object was written, nothing to delete.`);
      return { PhysicalResourceId: event.PhysicalResourceId ?? 'none' };
    }
    try {
      await s3().send(new DeleteObjectCommand({ Bucket: target.bucket, Key: target.key }));
      log(`Delete: removed s3://${target.bucket}/${target.key}`);
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (!IGNORED_ON_DELETE.includes(name)) throw error;
      // A replaced object's key is no longer in the handler's policy, and a deleted bucket holds
      // nothing: a leftover configuration file must not fail the stack operation.
      log(`Delete: s3://${target.bucket}/${target.key} left in place (${name}); it is a configuration file only and may be removed by hand.`);
    }
    return { PhysicalResourceId: `s3://${target.bucket}/${target.key}` };
  }
  const missing = (['Bucket', 'Key', 'Body'] as const).filter((name) => !props[name]);
  if (missing.length) {
    throw new Error(`The Clarify analysis configuration custom resource needs the ${missing.join(', ')} propert${missing.length === 1 ? 'y' : 'ies'}.`);
  }
  try {
    JSON.parse(props.Body);
  } catch (error) {
    throw new Error(`The Clarify analysis configuration for s3://${props.Bucket}/${props.Key} is not valid JSON (${(error as Error).message}); the Clarify container could not read it.`);
  }
  await s3().send(new PutObjectCommand({ Bucket: props.Bucket, Key: props.Key, Body: props.Body, ContentType: 'application/json' }));
  const uri = `s3://${props.Bucket}/${props.Key}`;
  log(`${event.RequestType}: wrote ${uri} (${props.Body.length} characters)`);
  return { PhysicalResourceId: uri, Data: { S3Uri: uri } };
}
