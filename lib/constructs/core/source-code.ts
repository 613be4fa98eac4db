import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { AssetHashType, Stack, Token, aws_iam as iam, aws_s3 as s3, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { deterministicTarGz } from '../../private/deterministic-tar';
import { grantReadObject, objectFileName } from '../../private/s3-objects';
import { SageMakerConstructError } from '../../private/errors';
import { uniqueChildId } from './unique-id';

/**
 * What source code renders to when a job or model uses it.
 */
export interface SourceCodeConfig {
  /** The `s3://` URI of the packed code (`sagemaker_submit_directory`). */
  readonly s3Uri: string;
  /** The script SageMaker runs, relative to the code directory (`sagemaker_program`). */
  readonly entryPoint: string;
  /**
   * The archive's file name as SageMaker writes it when it copies the code in as an input
   * (`S3Prefix` inputs keep the last segment of the object key), e.g. `3ad0…ae.tar.gz`.
   * @default - undefined when the key is only known at deploy time (a token)
   */
  readonly fileName?: string;
}

/**
 * Options of {@link SourceCode.fromDirectory} and {@link SourceCode.fromBucket}.
 */
export interface SourceCodeOptions {
  /**
   * The script to run, relative to the code directory, e.g. `train.py`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/adapt-training-container.html
   */
  readonly entryPoint: string;
}

/**
 * Code for SageMaker's framework containers (script mode): a local directory packed as a
 * `sourcedir.tar.gz` file asset, or such an archive already in S3.
 *
 * `bind()` renders the archive's S3 URI and the entry point, and grants the workload's role read
 * access to exactly the archive.
 */
export abstract class SourceCode {
  /**
   * A local directory, packed deterministically (sorted entries, fixed times, owners and modes,
   * fixed gzip header), so the asset hash changes only when the code does. Nothing needs Docker.
   * Caches (`__pycache__`, `*.pyc`, `.git`, `node_modules`, `.ipynb_checkpoints`) are left out.
   * @param directory the folder holding the scripts
   * @param options the entry point
   */
  public static fromDirectory(directory: string, options: SourceCodeOptions): SourceCode {
    const resolved = path.resolve(directory);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) {
      throw new SageMakerConstructError(`SourceCode.fromDirectory("${directory}"): there is no such directory. Give the folder that holds your scripts.`);
    }
    const entry = path.resolve(resolved, options.entryPoint);
    if (
      path.isAbsolute(options.entryPoint) ||
      !entry.startsWith(resolved + path.sep) ||
      !fs.existsSync(entry) ||
      !fs.statSync(entry).isFile()
    ) {
      throw new SageMakerConstructError(
        `SourceCode.fromDirectory("${directory}"): the entry point "${options.entryPoint}" is not a file inside the directory. ` +
          'Give the script\'s path relative to the directory, e.g. "train.py".',
      );
    }
    return new DirectorySourceCode(resolved, path.relative(resolved, entry).split(path.sep).join('/'));
  }

  /**
   * A `sourcedir.tar.gz` archive already in a bucket (for example built by CI).
   * @param bucket the bucket holding the archive
   * @param key the archive's object key, e.g. `code/sourcedir.tar.gz`
   * @param options the entry point inside the archive
   */
  public static fromBucket(bucket: s3.IBucket, key: string, options: SourceCodeOptions): SourceCode {
    if (!Token.isUnresolved(key) && !/\.(tar\.gz|tgz)$/.test(key)) {
      throw new SageMakerConstructError(
        `SourceCode.fromBucket: key "${key}" is not a .tar.gz archive. SageMaker unpacks the code from a gzip-compressed tar file; give the key of one, e.g. "code/sourcedir.tar.gz".`,
      );
    }
    if (!Token.isUnresolved(options.entryPoint) && (options.entryPoint.trim() === '' || options.entryPoint.startsWith('/'))) {
      throw new SageMakerConstructError(
        `SourceCode.fromBucket: the entry point "${options.entryPoint}" must be a path relative to the archive's root, e.g. "train.py".`,
      );
    }
    return new BucketSourceCode(bucket, key, options.entryPoint);
  }

  /**
   * Renders the code's S3 URI and entry point, and grants `grantee` read access to the archive.
   * @param scope the construct that uses the code
   * @param grantee the role the workload runs as
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable): SourceCodeConfig;
}

class DirectorySourceCode extends SourceCode {
  private readonly assets = new WeakMap<Stack, s3_assets.Asset>();
  private archive?: { readonly file: string; readonly hash: string };

  constructor(private readonly directory: string, private readonly entryPoint: string) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): SourceCodeConfig {
    // One asset per stack, created by the first construct that binds the code.
    const stack = Stack.of(scope);
    let asset = this.assets.get(stack);
    if (!asset) {
      const archive = this.pack();
      asset = new s3_assets.Asset(scope, uniqueChildId(scope, 'SourceCode'), {
        path: archive.file,
        assetHashType: AssetHashType.CUSTOM,
        assetHash: archive.hash,
      });
      this.assets.set(stack, asset);
    }
    grantReadObject(grantee, asset.bucket, asset.s3ObjectKey);
    return { s3Uri: asset.s3ObjectUrl, entryPoint: this.entryPoint, fileName: objectFileName(asset.s3ObjectKey) };
  }

  /**
   * Packs the directory once and writes the archive to a content-addressed file. The asset hash
   * is the hash of the uncompressed tar, so it does not depend on the zlib build either.
   */
  private pack(): { readonly file: string; readonly hash: string } {
    if (!this.archive) {
      const bytes = deterministicTarGz(this.directory);
      const hash = createHash('sha256').update(zlib.gunzipSync(bytes)).digest('hex');
      const dir = path.join(os.tmpdir(), 'sagemaker-cdk-source-code');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${hash}.tar.gz`);
      if (!fs.existsSync(file)) {
        // Write beside, then rename: parallel synths never see a half-written archive.
        const partial = `${file}.${process.pid}.${Date.now()}.partial`;
        fs.writeFileSync(partial, bytes);
        fs.renameSync(partial, file);
      }
      this.archive = { file, hash };
    }
    return this.archive;
  }
}

class BucketSourceCode extends SourceCode {
  constructor(private readonly bucket: s3.IBucket, private readonly key: string, private readonly entryPoint: string) {
    super();
  }

  public bind(_scope: Construct, grantee: iam.IGrantable): SourceCodeConfig {
    grantReadObject(grantee, this.bucket, this.key);
    return { s3Uri: `s3://${this.bucket.bucketName}/${this.key}`, entryPoint: this.entryPoint, fileName: objectFileName(this.key) };
  }
}
