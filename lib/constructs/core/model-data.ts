import * as fs from 'fs';
import * as path from 'path';
import { Stack, Token, aws_iam as iam, aws_s3 as s3, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SageMakerConstructError } from '../../private/errors';
import { uniqueChildId } from './unique-id';

/**
 * What model data renders to when a construct uses it.
 */
export interface ModelDataConfig {
  /** The `s3://` URI of the model artifact (a `model.tar.gz`) or of a multi-model prefix. */
  readonly s3Uri: string;
}

/**
 * Model artifacts for a SageMaker model: an object in S3 or a local `.tar.gz` file.
 *
 * `bind()` renders the S3 URI and grants the model's role read access to exactly the artifact,
 * plus decrypt on the bucket's KMS key when it has one.
 */
export abstract class ModelData {
  /**
   * An artifact in a bucket, e.g. `models/model.tar.gz`. A key ending in `/` is a prefix of
   * several artifacts, as multi-model endpoints use.
   * @param bucket the bucket holding the artifact
   * @param key the object key (no leading `/`)
   */
  public static fromBucket(bucket: s3.IBucket, key: string): ModelData {
    if (!Token.isUnresolved(key) && (key.trim() === '' || key.startsWith('/'))) {
      throw new SageMakerConstructError(
        `ModelData.fromBucket: key "${key}" is not an object key. Give the key inside the bucket, such as "models/model.tar.gz" (no leading "/").`,
      );
    }
    return new BucketModelData(bucket, key);
  }

  /**
   * A local `model.tar.gz` (or `.tgz`) file, uploaded as a file asset when the app is deployed.
   * SageMaker needs the artifacts packed as a gzip-compressed tar file, so a directory or another
   * file type is rejected.
   * @param file the path of the archive
   */
  public static fromAsset(file: string): ModelData {
    if (!/\.(tar\.gz|tgz)$/.test(file)) {
      throw new SageMakerConstructError(
        `ModelData.fromAsset("${file}"): SageMaker needs model artifacts as a gzip-compressed tar file (.tar.gz or .tgz). ` +
          'Pack the directory first, e.g. "tar -czf model.tar.gz -C <dir> .", and give the archive.',
      );
    }
    const resolved = path.resolve(file);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
      throw new SageMakerConstructError(`ModelData.fromAsset("${file}"): there is no such file. Give the path of an existing model.tar.gz.`);
    }
    return new AssetModelData(resolved);
  }

  /**
   * Renders the S3 URI and grants `grantee` read access to exactly the artifact (and decrypt on
   * the bucket's key).
   * @param scope the construct that uses the model data
   * @param grantee the role SageMaker uses to download the artifact
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable): ModelDataConfig;
}

class BucketModelData extends ModelData {
  constructor(private readonly bucket: s3.IBucket, private readonly key: string) {
    super();
  }

  public bind(_scope: Construct, grantee: iam.IGrantable): ModelDataConfig {
    const isPrefix = !Token.isUnresolved(this.key) && this.key.endsWith('/');
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(isPrefix ? `${this.key}*` : this.key)],
    });
    if (isPrefix) {
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:ListBucket'],
        resourceArns: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.key}*`] } },
      });
    }
    this.bucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
    return { s3Uri: `s3://${this.bucket.bucketName}/${this.key}` };
  }
}

class AssetModelData extends ModelData {
  private readonly assets = new WeakMap<Stack, s3_assets.Asset>();

  constructor(private readonly file: string) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ModelDataConfig {
    // One asset per stack, created by the first construct that binds the model data.
    const stack = Stack.of(scope);
    let asset = this.assets.get(stack);
    if (!asset) {
      asset = new s3_assets.Asset(scope, uniqueChildId(scope, 'ModelDataAsset'), { path: this.file });
      this.assets.set(stack, asset);
    }
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [asset.bucket.arnForObjects(asset.s3ObjectKey)] });
    asset.bucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
    return { s3Uri: asset.s3ObjectUrl };
  }
}
