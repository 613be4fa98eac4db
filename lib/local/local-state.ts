/**
 * What the local runner keeps beside the object store, under `<store root>/.runner/`
 * (a name no S3 bucket can have): models created by pipelines (`models/<name>.json`), the model
 * registry (`registry/<group>/<version>.json`) and execution reports (`executions/<id>/`).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ContainerDefinition } from '@aws-sdk/client-sagemaker';
import type { LocalModel } from './jobs/types';

/** The folder name of the runner's own records inside the store root. */
export const STATE_DIRECTORY = '.runner';

/** A model as the local store keeps it. */
export interface LocalModelRecord extends LocalModel {
  /** `arn:aws:sagemaker:<region>:<account>:model/<name lower-cased>`. */
  readonly modelArn: string;
  readonly executionRoleArn?: string;
  /** ISO 8601. */
  readonly creationTime: string;
  /** The pipeline execution and step that created it. */
  readonly createdBy?: { readonly pipelineExecutionId: string; readonly stepName: string };
}

/** A model package version in the local registry (what DescribeModelPackage returns). */
export interface LocalModelPackage {
  readonly ModelPackageGroupName: string;
  readonly ModelPackageVersion: number;
  readonly ModelPackageArn: string;
  readonly ModelPackageName: string;
  readonly ModelPackageStatus: 'Completed';
  readonly ModelApprovalStatus: string;
  readonly CreationTime: string;
  readonly [field: string]: unknown;
}

/** The runner's records in a store root. */
export class LocalState {
  /** `<store root>/.runner`. */
  public readonly directory: string;

  /**
   * @param storeRoot the object store's root directory
   * @param account the pretend account (for ARNs)
   * @param region the pretend region (for ARNs)
   */
  constructor(storeRoot: string, private readonly account: string, private readonly region: string) {
    this.directory = path.join(storeRoot, STATE_DIRECTORY);
  }

  /** Saves a model so later steps and `local model invoke` find it. */
  public saveModel(model: LocalModel & { readonly executionRoleArn?: string; readonly createdBy?: LocalModelRecord['createdBy'] }): LocalModelRecord {
    const record: LocalModelRecord = {
      modelName: model.modelName,
      containers: model.containers,
      modelArn: `arn:aws:sagemaker:${this.region}:${this.account}:model/${model.modelName.toLowerCase()}`,
      executionRoleArn: model.executionRoleArn,
      creationTime: new Date().toISOString(),
      createdBy: model.createdBy,
    };
    writeJson(path.join(this.directory, 'models', `${safeFileName(model.modelName)}.json`), record);
    return record;
  }

  /** A saved model, or undefined. */
  public model(name: string): LocalModelRecord | undefined {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return undefined;
    const file = path.join(this.directory, 'models', `${safeFileName(name)}.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf-8')) as LocalModelRecord) : undefined;
  }

  /** The names of the saved models, newest first. */
  public modelNames(): string[] {
    const dir = path.join(this.directory, 'models');
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ name: f.slice(0, -5), time: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.time - a.time)
      .map((m) => m.name);
  }

  /**
   * Adds a version to a model package group (versions count 1, 2, ... per group across runs),
   * as CreateModelPackage does. The version file is created exclusively, so two RegisterModel
   * steps that register at the same moment (steps of one run side by side, or two runs sharing
   * a store) get different versions instead of one overwriting the other.
   *
   * @param request the CreateModelPackage request of a RegisterModel step
   */
  public registerModelPackage(request: Record<string, unknown>): LocalModelPackage {
    const group = request.ModelPackageGroupName;
    if (typeof group !== 'string' || group === '') throw new Error('RegisterModel needs a ModelPackageGroupName.');
    const dir = path.join(this.directory, 'registry', safeFileName(group));
    fs.mkdirSync(dir, { recursive: true });
    const versions = fs.readdirSync(dir).map((f) => /^(\d+)\.json$/.exec(f)?.[1]).filter((v): v is string => v !== undefined).map(Number);
    for (let version = versions.length ? Math.max(...versions) + 1 : 1; ; version++) {
      const arn = `arn:aws:sagemaker:${this.region}:${this.account}:model-package/${group.toLowerCase()}/${version}`;
      const record: LocalModelPackage = {
        ...request,
        ModelPackageGroupName: group,
        ModelPackageVersion: version,
        ModelPackageArn: arn,
        ModelPackageName: `${group}/${version}`,
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: typeof request.ModelApprovalStatus === 'string' ? request.ModelApprovalStatus : 'PendingManualApproval',
        CreationTime: new Date().toISOString(),
      };
      // Written aside, then linked into place: the link fails with EEXIST when another
      // registration took this version first, and readers never see a half-written file.
      const draft = path.join(dir, `.${version}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      fs.writeFileSync(draft, JSON.stringify(record, null, 2) + '\n');
      try {
        fs.linkSync(draft, path.join(dir, `${version}.json`));
        return record;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        fs.rmSync(draft, { force: true });
      }
    }
  }

  /** The versions of a model package group, oldest first (none for an unknown group). */
  public modelPackages(group: string): LocalModelPackage[] {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(group)) return [];
    const dir = path.join(this.directory, 'registry', group);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir)
      .map((f) => /^(\d+)\.json$/.exec(f)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
      .map((version) => JSON.parse(fs.readFileSync(path.join(dir, `${version}.json`), 'utf-8')) as LocalModelPackage);
  }

  /**
   * One version, by ARN (`arn:aws:sagemaker:<region>:<account>:model-package/<group>/<n>`) or by
   * name (`<group>/<n>`), as DescribeModelPackage finds it; undefined when there is none.
   */
  public modelPackage(arnOrName: string): LocalModelPackage | undefined {
    const match = /(?:^|:model-package\/)([^/:]+)\/(\d+)$/.exec(arnOrName);
    if (!match) return undefined;
    const [, group, version] = match;
    // ARNs carry the group name in lower case; find the group folder whatever its case.
    const registry = path.join(this.directory, 'registry');
    const folder = fs.existsSync(registry) ? fs.readdirSync(registry).find((g) => g.toLowerCase() === group.toLowerCase()) : undefined;
    return folder === undefined ? undefined : this.modelPackages(folder).find((p) => p.ModelPackageVersion === Number(version));
  }

  /**
   * The newest version of a group whose approval status is Approved (what ListModelPackages with
   * ModelApprovalStatus=Approved, SortBy=CreationTime, SortOrder=Descending returns first).
   */
  public latestApprovedModelPackage(group: string): LocalModelPackage | undefined {
    return this.modelPackages(group).filter((p) => p.ModelApprovalStatus === 'Approved').pop();
  }

  /**
   * Changes a version's approval status, as UpdateModelPackage does (with an optional
   * ApprovalDescription), and returns the updated version.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
   */
  public updateModelPackageApproval(arnOrName: string, status: 'Approved' | 'Rejected' | 'PendingManualApproval', description?: string): LocalModelPackage {
    if (!['Approved', 'Rejected', 'PendingManualApproval'].includes(status)) {
      throw new Error(`"${String(status)}" is not a model approval status: use Approved, Rejected or PendingManualApproval.`);
    }
    const current = this.modelPackage(arnOrName);
    if (!current) throw new Error(`The local model registry has no model package version ${arnOrName}.`);
    const updated: LocalModelPackage = {
      ...current,
      ModelApprovalStatus: status,
      ...(description === undefined ? {} : { ApprovalDescription: description }),
      LastModifiedTime: new Date().toISOString(),
    };
    writeJson(path.join(this.directory, 'registry', current.ModelPackageGroupName, `${current.ModelPackageVersion}.json`), updated);
    return updated;
  }

  /**
   * What the deploy-time resolver (`ModelPackageVersion.latestApproved`, a `Custom::ModelPackageVersion`
   * resource) answers: the newest Approved version of the group, or the requested version after
   * checking that it belongs to the group and is Approved; throws the handler's messages otherwise.
   * @param group the model package group
   * @param requestedVersionArn a version to deploy instead of the newest approved one (empty: the newest)
   */
  public resolveModelPackageVersion(group: string, requestedVersionArn?: string): { ModelPackageArn: string; ModelPackageVersion: string } {
    const wanted = (requestedVersionArn ?? '').trim();
    if (wanted === '') {
      const newest = this.latestApprovedModelPackage(group);
      if (!newest) {
        throw new Error(
          `Model package group "${group}" has no version whose approval status is Approved in the local registry, so there is no model to deploy. ` +
            'Run the training pipeline locally so that it registers a version, approve it, then try again.',
        );
      }
      return { ModelPackageArn: newest.ModelPackageArn, ModelPackageVersion: String(newest.ModelPackageVersion) };
    }
    const version = this.modelPackage(wanted);
    if (!version) throw new Error(`The requested model package version ${wanted} is not in the local registry.`);
    if (version.ModelPackageGroupName.toLowerCase() !== group.toLowerCase()) {
      throw new Error(`The requested model package version ${wanted} belongs to group "${version.ModelPackageGroupName}", not to "${group}".`);
    }
    if (version.ModelApprovalStatus !== 'Approved') {
      throw new Error(`The requested model package version ${wanted} has approval status ${version.ModelApprovalStatus}; only an Approved version may be deployed.`);
    }
    return { ModelPackageArn: version.ModelPackageArn, ModelPackageVersion: String(version.ModelPackageVersion) };
  }

  /**
   * The containers a model container stands for: itself, or for a `ModelPackageName` the
   * registered version's inference containers (image, artifacts, environment), with the model
   * container's own environment on top, as CreateModel serves a model package.
   */
  public expandModelPackage(container: ContainerDefinition): ContainerDefinition[] {
    if (!container.ModelPackageName) return [container];
    const version = this.modelPackage(container.ModelPackageName);
    if (!version) throw new Error(`The model package version ${container.ModelPackageName} is not in the local registry; run the training pipeline locally first.`);
    const registered = ((version.InferenceSpecification as { Containers?: ContainerDefinition[] } | undefined)?.Containers ?? []);
    if (registered.length === 0) throw new Error(`The model package version ${container.ModelPackageName} has no inference containers.`);
    return registered.map((c) => ({
      Image: c.Image,
      ModelDataUrl: c.ModelDataUrl,
      Environment: c.Environment || container.Environment ? { ...(c.Environment ?? {}), ...(container.Environment ?? {}) } : undefined,
      ContainerHostname: container.ContainerHostname ?? c.ContainerHostname,
    }));
  }

  /** The directory of one execution's report and job work directories. */
  public executionDirectory(executionId: string): string {
    return path.join(this.directory, 'executions', executionId);
  }
}

/** Containers of a CreateModel request: Containers, else PrimaryContainer. */
export function modelContainers(request: { PrimaryContainer?: unknown; Containers?: unknown }): ContainerDefinition[] {
  if (Array.isArray(request.Containers) && request.Containers.length > 0) return request.Containers as ContainerDefinition[];
  if (request.PrimaryContainer && typeof request.PrimaryContainer === 'object') return [request.PrimaryContainer as ContainerDefinition];
  return [];
}

function safeFileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`"${name}" is not a valid SageMaker name (letters, digits, -, _ and .).`);
  return name;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
