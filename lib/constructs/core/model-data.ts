import * as fs from 'fs';
import { Stack, Token, aws_iam as iam, aws_s3 as s3, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SageMakerConstructError } from '../../private/errors';

/**
 * What model data renders to when a construct uses it.
 */
export interface ModelDataConfig {
  /** The `s3://` URI of the model artifact (a `model.tar.gz`) or of a multi-model prefix. */
  readonly s3Uri: string;
}

/**
 * Model artifacts for a SageMaker model: an object in S3 or a local `.tar.gz` file.
 */
export abstract class ModelData {
  /**
   * An artifact in a bucket, e.g. `models/model.tar.gz`. `bind()` grants read on exactly that
   * object (or, for a key ending in `/`, the objects under that prefix, as multi-model
   * endpoints need) and decrypt on the bucket's key.
   */
  public static fromBucket(bucket: s3.IBucket, key: string): ModelData {
    if (!Token.isUnresolved(key) && (key.trim() === '' || key.startsWith('/'))) {
      throw new SageMakerConstructError(`ModelData.fromBucket key "${key}" must be an object key such as "models/model.tar.gz" (no leading "/").`);
    }
    return new BucketModelData(bucket, key);
  }

  /**
   * A local `model.tar.gz` file, uploaded as a file asset when the app is deployed.
   */
  public static fromAsset(path: string): ModelData {
    if (!path.endsWith('.tar.gz')) {
      throw new SageMakerConstructError(
        `ModelData.fromAsset("${path}"): SageMaker needs model artifacts as a .tar.gz file; pack the directory first (tar -czf model.tar.gz -C dir .).`,
      );
    }
    if (!fs.existsSync(path) || !fs.statSync(path).isFile()) {
      throw new SageMakerConstructError(`ModelData.fromAsset("${path}"): no such file. Give the path of an existing model.tar.gz.`);
    }
    return new AssetModelData(path);
  }

  /**
   * Renders the S3 URI and grants `grantee` read access to exactly the artifact.
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
      iam.Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    }
    this.bucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
    return { s3Uri: `s3://${this.bucket.bucketName}/${this.key}` };
  }
}

class AssetModelData extends ModelData {
  private readonly assets = new WeakMap<Stack, s3_assets.Asset>();

  constructor(private readonly path: string) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ModelDataConfig {
    const stack = Stack.of(scope);
    let asset = this.assets.get(stack);
    if (!asset) {
      asset = new s3_assets.Asset(scope, 'ModelDataAsset', { path: this.path });
      this.assets.set(stack, asset);
    }
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [asset.bucket.arnForObjects(asset.s3ObjectKey)] });
    asset.bucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
    return { s3Uri: asset.s3ObjectUrl };
  }
}
