import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, aws_iam as iam, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SageMakerConstructError } from '../../private/errors';
import { deterministicTarGz } from '../../private/deterministic-tar';

/**
 * What source code renders to when a job or model uses it.
 */
export interface SourceCodeConfig {
  /** The `s3://` URI of the packed code (`sagemaker_submit_directory`). */
  readonly s3Uri: string;
  /** The script SageMaker runs, relative to the code directory (`sagemaker_program`). */
  readonly entryPoint: string;
}

/**
 * Options of {@link SourceCode.fromDirectory}.
 */
export interface SourceCodeOptions {
  /** The script to run, relative to the directory, e.g. `train.py`. */
  readonly entryPoint: string;
}

/**
 * Code for SageMaker's framework containers (script mode): a local directory packed as a
 * `.tar.gz` file asset.
 */
export abstract class SourceCode {
  /**
   * A local directory, packed deterministically (sorted entries, fixed times and owners), so
   * the asset hash only changes when the code does. No Docker is involved.
   */
  public static fromDirectory(directory: string, options: SourceCodeOptions): SourceCode {
    const resolved = path.resolve(directory);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) {
      throw new SageMakerConstructError(`SourceCode.fromDirectory("${directory}"): no such directory. Give the folder that holds your scripts.`);
    }
    const entry = path.join(resolved, options.entryPoint);
    if (path.isAbsolute(options.entryPoint) || !entry.startsWith(resolved + path.sep) || !fs.existsSync(entry)) {
      throw new SageMakerConstructError(
        `SourceCode.fromDirectory("${directory}"): entry point "${options.entryPoint}" is not a file inside the directory. ` +
          'Give its path relative to the directory, e.g. "train.py".',
      );
    }
    return new DirectorySourceCode(resolved, options.entryPoint);
  }

  /**
   * Renders the code's S3 URI and entry point, and grants `grantee` read access to it.
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable): SourceCodeConfig;
}

class DirectorySourceCode extends SourceCode {
  private readonly assets = new WeakMap<Stack, s3_assets.Asset>();
  private archive?: string;

  constructor(private readonly directory: string, private readonly entryPoint: string) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): SourceCodeConfig {
    const stack = Stack.of(scope);
    let asset = this.assets.get(stack);
    if (!asset) {
      asset = new s3_assets.Asset(scope, 'SourceCode', { path: this.archivePath() });
      this.assets.set(stack, asset);
    }
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [asset.bucket.arnForObjects(asset.s3ObjectKey)] });
    asset.bucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
    return { s3Uri: asset.s3ObjectUrl, entryPoint: this.entryPoint };
  }

  /** Writes the archive once, to a content-addressed file, and returns its path. */
  private archivePath(): string {
    if (!this.archive) {
      const bytes = deterministicTarGz(this.directory);
      const hash = createHash('sha256').update(bytes).digest('hex');
      const dir = path.join(os.tmpdir(), 'sagemaker-cdk-source-code');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${hash}.tar.gz`);
      if (!fs.existsSync(file)) {
        fs.writeFileSync(file, bytes);
      }
      this.archive = file;
    }
    return this.archive;
  }
}
