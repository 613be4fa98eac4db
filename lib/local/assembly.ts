/**
 * Reads a cloud assembly (the `cdk.out` directory `cdk synth` writes): its stacks, their
 * templates and their asset manifests.
 *
 * @see https://github.com/aws/aws-cdk/tree/main/packages/%40aws-cdk/cloud-assembly-schema
 */
import * as fs from 'fs';
import * as path from 'path';

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  readonly Description?: string;
  readonly Parameters?: Record<string, CfnParameter>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnOutput>;
  readonly [key: string]: unknown;
}

/** A template parameter. */
export interface CfnParameter {
  readonly Type: string;
  readonly Default?: unknown;
  readonly Description?: string;
}

/** A template resource. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
}

/** A template output. */
export interface CfnOutput {
  readonly Value: unknown;
  readonly Description?: string;
  readonly Export?: { readonly Name: unknown };
  readonly Condition?: string;
}

/** One file or directory asset of an asset manifest. */
export interface FileAssetEntry {
  /** The asset id (its hash). */
  readonly id: string;
  /** What `cdk` shows for it, e.g. `Preprocess/Script`. */
  readonly displayName?: string;
  /** The absolute path of the file or directory in the assembly. */
  readonly sourcePath: string;
  /** `file` (uploaded as is) or `zip` (a directory uploaded as a zip archive). */
  readonly packaging: string;
  /** Where it is published, with `${AWS::AccountId}`-style placeholders. */
  readonly destinations: ReadonlyArray<{ readonly bucketName: string; readonly objectKey: string }>;
}

/** A stack of the assembly. */
export interface AssemblyStack {
  /** The artifact id, e.g. `SageMakerCpu-Training` (the construct id, or `Stage-Stack` in stages). */
  readonly id: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The absolute path of the template file. */
  readonly templateFile: string;
  /** The absolute paths of its asset manifests. */
  readonly assetManifests: readonly string[];
}

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: Record<string, unknown>;
  readonly dependencies?: string[];
}

interface AssetManifestFile {
  readonly files?: Record<string, {
    readonly displayName?: string;
    readonly source: { readonly path?: string; readonly packaging?: string };
    readonly destinations: Record<string, { readonly bucketName: string; readonly objectKey: string }>;
  }>;
}

/**
 * A synthesized cloud assembly on disk. Nested assemblies (CDK stages) are read too; their stacks
 * are listed with their artifact ids.
 */
export class CloudAssembly {
  /** The assembly's directory (absolute). */
  public readonly directory: string;
  /** Every stack, in manifest order. */
  public readonly stacks: readonly AssemblyStack[];
  private readonly templates = new Map<string, CfnTemplate>();

  /**
   * Reads `<directory>/manifest.json`.
   *
   * @param directory the cloud assembly directory, e.g. `cdk.out`
   */
  constructor(directory: string) {
    this.directory = path.resolve(directory);
    const stacks: AssemblyStack[] = [];
    readManifest(this.directory, stacks);
    this.stacks = stacks;
  }

  /**
   * Finds a stack by artifact id or stack name.
   *
   * @throws an error listing the stacks when none matches
   */
  public stack(idOrName: string): AssemblyStack {
    const found = this.stacks.find((s) => s.id === idOrName) ?? this.stacks.find((s) => s.stackName === idOrName);
    if (!found) {
      const list = this.stacks.map((s) => (s.id === s.stackName ? s.id : `${s.id} (stack name ${s.stackName})`)).join(', ');
      throw new Error(`Stack "${idOrName}" is not in the cloud assembly ${this.directory}. Its stacks: ${list || 'none'}.`);
    }
    return found;
  }

  /** The stack with this CloudFormation stack name, if any. */
  public stackByName(stackName: string): AssemblyStack | undefined {
    return this.stacks.find((s) => s.stackName === stackName);
  }

  /** The parsed template of a stack (read once). */
  public template(stack: AssemblyStack): CfnTemplate {
    let template = this.templates.get(stack.templateFile);
    if (!template) {
      template = JSON.parse(fs.readFileSync(stack.templateFile, 'utf-8')) as CfnTemplate;
      this.templates.set(stack.templateFile, template);
    }
    return template;
  }

  /** The file and directory assets of a stack, from its asset manifests. */
  public fileAssets(stack: AssemblyStack): FileAssetEntry[] {
    const assets: FileAssetEntry[] = [];
    for (const manifestFile of stack.assetManifests) {
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8')) as AssetManifestFile;
      for (const [id, asset] of Object.entries(manifest.files ?? {})) {
        if (!asset.source.path) continue; // produced by an executable, nothing on disk to copy
        assets.push({
          id,
          displayName: asset.displayName,
          sourcePath: path.resolve(path.dirname(manifestFile), asset.source.path),
          packaging: asset.source.packaging ?? 'file',
          destinations: Object.values(asset.destinations).map((d) => ({ bucketName: d.bucketName, objectKey: d.objectKey })),
        });
      }
    }
    return assets;
  }
}

function readManifest(directory: string, stacks: AssemblyStack[]): void {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${directory} is not a cloud assembly: it has no manifest.json. Run "npx cdk synth" first (or pass the directory it writes to).`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = manifest.artifacts ?? {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly') {
      const nested = artifact.properties?.directoryName;
      if (typeof nested === 'string') readManifest(path.join(directory, nested), stacks);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templateFile = artifact.properties?.templateFile;
    if (typeof templateFile !== 'string') continue;
    const stackName = typeof artifact.properties?.stackName === 'string' ? artifact.properties.stackName : id;
    const assetManifests = (artifact.dependencies ?? [])
      .map((dep) => artifacts[dep])
      .filter((dep): dep is ManifestArtifact => dep?.type === 'cdk:asset-manifest' && typeof dep.properties?.file === 'string')
      .map((dep) => path.join(directory, dep.properties?.file as string));
    stacks.push({ id, stackName, templateFile: path.join(directory, templateFile), assetManifests });
  }
}
