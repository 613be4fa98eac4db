import {
  ArnFormat,
  Duration,
  IResource,
  Names,
  RemovalPolicy,
  Resource,
  Stack,
  Token,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sagemaker as sagemaker,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isConcrete, rangeProblem, throwIfProblems } from '../../private/errors';
import { acknowledgeWildcardResources } from '../../private/nag';
import { MlKey } from '../security/ml-key';
import { ManagedPolicyRole } from '../security/managed-policy-role';
import { CollectionType, FeatureDefinition, FeatureType } from './feature-definition';
import { Throughput } from './throughput';

/** Feature names SageMaker reserves for its own columns. */
const RESERVED_FEATURE_NAMES = ['is_deleted', 'write_time', 'api_invocation_time'];
/** SageMaker's limit on feature definitions per feature group. */
const MAX_FEATURES = 2500;
const NAME_PATTERN = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
/** The Glue database Feature Store creates offline-store tables in. */
const FEATURE_STORE_DATABASE = 'sagemaker_featurestore';

/**
 * A SageMaker Feature Store feature group.
 */
export interface IFeatureGroup extends IResource {
  /** The feature group's name. @attribute */
  readonly featureGroupName: string;
  /** The feature group's ARN. @attribute */
  readonly featureGroupArn: string;
  /** Lets `grantee` write records (`PutRecord`). */
  grantPutRecord(grantee: iam.IGrantable): iam.Grant;
  /** Lets `grantee` read records (`GetRecord`, `BatchGetRecord`). */
  grantGetRecord(grantee: iam.IGrantable): iam.Grant;
  /** Lets `grantee` delete records (`DeleteRecord`). */
  grantDeleteRecord(grantee: iam.IGrantable): iam.Grant;
}

/** Storage tiers of an online store. */
export enum OnlineStoreStorageType {
  /** Low-latency managed storage. */
  STANDARD = 'Standard',
  /** Very low latency storage; needed for collection features; no provisioned throughput. */
  IN_MEMORY = 'InMemory',
}

/** Table formats of an offline store. */
export enum OfflineStoreTableFormat {
  /** A Glue (Hive) table of Parquet files. */
  GLUE = 'Glue',
  /** An Apache Iceberg table, compactable and faster to query. */
  ICEBERG = 'Iceberg',
}

/**
 * The online store of a feature group: the latest record per identifier, for real-time reads.
 */
export interface OnlineStoreOptions {
  /**
   * The storage tier.
   * @default OnlineStoreStorageType.STANDARD
   */
  readonly storageType?: OnlineStoreStorageType;

  /**
   * The key that encrypts the online store.
   * @default - the feature group's `encryptionKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Delete records this long after their event time. Whole seconds, minutes, hours, days or weeks.
   * @default - records never expire
   */
  readonly timeToLive?: Duration;
}

/**
 * The offline store of a feature group: every record version, in S3, for training and batch.
 */
export interface OfflineStoreOptions {
  /** The bucket that holds the offline store (a `SecureBucket` fits). */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix under which Feature Store writes, ending with `/`.
   * @default 'feature-store/'
   */
  readonly prefix?: string;

  /**
   * The key that encrypts the offline store's objects.
   * @default - the bucket's key, else the feature group's `encryptionKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The table format.
   * @default OfflineStoreTableFormat.GLUE
   */
  readonly tableFormat?: OfflineStoreTableFormat;

  /**
   * Do not create a Glue table for the offline store (then it is not queryable with Athena until
   * you create one). Iceberg tables need the Glue table.
   * @default false
   */
  readonly disableGlueTableCreation?: boolean;
}

/**
 * Properties of a {@link FeatureGroup}.
 */
export interface FeatureGroupProps {
  /**
   * The feature group's name: 1-64 letters, digits, hyphens and underscores, starting and
   * ending with a letter or digit, unique in the account and region. Changing it replaces the
   * group (and loses its data).
   * @default - a name derived from the construct path
   */
  readonly featureGroupName?: string;

  /** The features (at most 2,500). */
  readonly features: FeatureDefinition[];

  /** The feature whose value identifies a record. Must be one of `features`. */
  readonly recordIdentifierFeatureName: string;

  /** The feature holding each record's event time. Must be one of `features`, Fractional or String. */
  readonly eventTimeFeatureName: string;

  /**
   * Enable the online store with these options.
   * @default - no online store (then `offlineStore` is required)
   */
  readonly onlineStore?: OnlineStoreOptions;

  /**
   * Enable the offline store with these options.
   * @default - no offline store (then `onlineStore` is required)
   */
  readonly offlineStore?: OfflineStoreOptions;

  /**
   * The default key for both stores.
   * @default - a new `MlKey` when a store has no key of its own
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How reads and writes are billed.
   * @default Throughput.onDemand()
   */
  readonly throughput?: Throughput;

  /**
   * A description (at most 128 characters). Changing it replaces the group.
   * @default - none
   */
  readonly description?: string;

  /**
   * The role Feature Store uses to write the offline store.
   * @default - a new role with access to exactly the offline store's prefix, key and Glue table
   */
  readonly offlineStoreRole?: iam.IRole;

  /**
   * What happens to the group (and its data) when it leaves the stack or is replaced.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

abstract class FeatureGroupBase extends Resource implements IFeatureGroup {
  public abstract readonly featureGroupName: string;
  public abstract readonly featureGroupArn: string;
  /** The key of the online store, if any: data-plane callers need `kms:Decrypt` on it. */
  protected onlineStoreKey?: kms.IKey;

  public grantPutRecord(grantee: iam.IGrantable): iam.Grant {
    this.onlineStoreKey?.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
    return this.grantRecords(grantee, 'sagemaker:PutRecord');
  }

  public grantGetRecord(grantee: iam.IGrantable): iam.Grant {
    this.onlineStoreKey?.grantDecrypt(grantee);
    return this.grantRecords(grantee, 'sagemaker:GetRecord', 'sagemaker:BatchGetRecord');
  }

  public grantDeleteRecord(grantee: iam.IGrantable): iam.Grant {
    this.onlineStoreKey?.grantDecrypt(grantee);
    return this.grantRecords(grantee, 'sagemaker:DeleteRecord');
  }

  private grantRecords(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.featureGroupArn] });
  }
}

function featureGroupArn(scope: Construct, name: string): string {
  // SageMaker writes resource names in lower case in its ARNs.
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'feature-group',
    resourceName: Token.isUnresolved(name) ? name : name.toLowerCase(),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

function ttlDuration(ttl: Duration): sagemaker.CfnFeatureGroup.TtlDurationProperty {
  const seconds = ttl.toSeconds();
  for (const [unit, size] of [['Weeks', 604800], ['Days', 86400], ['Hours', 3600], ['Minutes', 60]] as const) {
    if (seconds % size === 0) return { unit, value: seconds / size };
  }
  return { unit: 'Seconds', value: seconds };
}

/**
 * A SageMaker Feature Store feature group with typed feature definitions, KMS-encrypted online
 * and offline stores, a least-privilege offline-store role, and checks of SageMaker's rules at
 * synth.
 *
 * A feature group is stateful and is RETAINed by default. Only adding features, the online
 * store's time to live and the throughput can change in place (`UpdateFeatureGroup`); changing
 * the name, record identifier, event time feature, an existing feature, the online store's
 * enablement, tier or key, the offline store, the role or the description makes CloudFormation
 * replace the group, which loses the online store's data. With a generated name (the default)
 * the replacement gets a new name; with a fixed name, the update fails instead.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store.html
 */
export class FeatureGroup extends FeatureGroupBase {
  /** Imports a feature group by name. */
  public static fromFeatureGroupName(scope: Construct, id: string, featureGroupName: string): IFeatureGroup {
    class Import extends FeatureGroupBase {
      public readonly featureGroupName = featureGroupName;
      public readonly featureGroupArn = featureGroupArn(scope, featureGroupName);
    }
    return new Import(scope, id);
  }

  public readonly featureGroupName: string;
  public readonly featureGroupArn: string;
  /** The role Feature Store writes the offline store with, if there is an offline store. */
  public readonly offlineStoreRole?: iam.IRole;
  /** The key of the online store, if there is one. */
  public readonly onlineStoreEncryptionKey?: kms.IKey;
  /** The key of the offline store, if there is one. */
  public readonly offlineStoreEncryptionKey?: kms.IKey;
  /** The S3 URI of the offline store, if there is one. */
  public readonly offlineStoreS3Uri?: string;
  private readonly offlineStore?: OfflineStoreOptions;
  private readonly offlinePrefix: string;

  constructor(scope: Construct, id: string, props: FeatureGroupProps) {
    super(scope, id);

    const problems = this.validate(props);
    throwIfProblems(this, problems);

    this.featureGroupName =
      props.featureGroupName ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '-', allowedSpecialCharacters: '-' });
    this.featureGroupArn = featureGroupArn(this, this.featureGroupName);
    this.offlineStore = props.offlineStore;
    this.offlinePrefix = props.offlineStore?.prefix ?? 'feature-store/';

    let defaultKey = props.encryptionKey;
    const key = (): kms.IKey => {
      defaultKey ??= new MlKey(this, 'Key', { description: `Encrypts the feature group ${this.node.path}` });
      return defaultKey;
    };

    let onlineStoreConfig: Record<string, unknown> | undefined;
    if (props.onlineStore) {
      this.onlineStoreEncryptionKey = props.onlineStore.encryptionKey ?? key();
      this.onlineStoreKey = this.onlineStoreEncryptionKey;
      onlineStoreConfig = {
        EnableOnlineStore: true,
        StorageType: props.onlineStore.storageType ?? OnlineStoreStorageType.STANDARD,
        SecurityConfig: { KmsKeyId: this.onlineStoreEncryptionKey.keyArn },
        TtlDuration: props.onlineStore.timeToLive ? renderTtl(props.onlineStore.timeToLive) : undefined,
      };
    }

    let offlineStoreConfig: Record<string, unknown> | undefined;
    if (props.offlineStore) {
      const bucket = props.offlineStore.bucket;
      this.offlineStoreEncryptionKey = props.offlineStore.encryptionKey ?? bucket.encryptionKey ?? key();
      this.offlineStoreS3Uri = `s3://${bucket.bucketName}/${this.offlinePrefix}`;
      offlineStoreConfig = {
        S3StorageConfig: { S3Uri: this.offlineStoreS3Uri, KmsKeyId: this.offlineStoreEncryptionKey.keyArn },
        DisableGlueTableCreation: props.offlineStore.disableGlueTableCreation ?? false,
        TableFormat: props.offlineStore.tableFormat ?? OfflineStoreTableFormat.GLUE,
      };
      this.offlineStoreRole = props.offlineStoreRole ?? this.createOfflineStoreRole(props.offlineStore, this.offlineStoreEncryptionKey);
    }

    const throughput = props.throughput ?? Throughput.onDemand();
    const resource = new sagemaker.CfnFeatureGroup(this, 'Resource', {
      featureGroupName: this.featureGroupName,
      description: props.description,
      recordIdentifierFeatureName: props.recordIdentifierFeatureName,
      eventTimeFeatureName: props.eventTimeFeatureName,
      featureDefinitions: props.features.map((f) => ({ featureName: f.featureName, featureType: f.featureType })),
      onlineStoreConfig,
      offlineStoreConfig,
      roleArn: this.offlineStoreRole?.roleArn,
      throughputConfig: {
        throughputMode: throughput.mode,
        provisionedReadCapacityUnits: throughput.readCapacityUnits,
        provisionedWriteCapacityUnits: throughput.writeCapacityUnits,
      },
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    if (this.offlineStoreRole) {
      // Feature Store checks the role's access to the bucket and key when it creates the group.
      resource.node.addDependency(this.offlineStoreRole);
    }
  }

  /**
   * Lets `grantee` read the offline store: the objects under its prefix, decrypting them, and
   * the Glue catalog entries of Feature Store's database (for Athena queries).
   */
  public grantReadOfflineStore(grantee: iam.IGrantable): iam.Grant {
    if (!this.offlineStore) {
      throw new Error(`[${this.node.path}] grantReadOfflineStore was called, but the feature group has no offline store; add offlineStore.`);
    }
    const bucket = this.offlineStore.bucket;
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(`${this.offlinePrefix}*`)] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.offlinePrefix}*`] } },
    });
    iam.Grant.addToPrincipal({ grantee, actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'], resourceArns: this.glueArns() });
    this.offlineStoreEncryptionKey?.grantDecrypt(grantee);
    return grant;
  }

  /** The Glue catalog, Feature Store's database and its tables. */
  private glueArns(): string[] {
    const stack = Stack.of(this);
    return [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: FEATURE_STORE_DATABASE }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${FEATURE_STORE_DATABASE}/*` }),
    ];
  }

  private createOfflineStoreRole(store: OfflineStoreOptions, key: kms.IKey): iam.IRole {
    const stack = Stack.of(this);
    const role = new ManagedPolicyRole(this, 'OfflineStoreRole', {
      description: `Writes the offline store of the feature group ${this.node.path}`,
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: '*' }) },
      }),
    });
    const iceberg = store.tableFormat === OfflineStoreTableFormat.ICEBERG;
    const objectActions = ['s3:PutObject', 's3:PutObjectAcl', 's3:GetObject'];
    if (iceberg) objectActions.push('s3:DeleteObject'); // Iceberg rewrites metadata and compacts files
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: objectActions, resources: [store.bucket.arnForObjects(`${this.offlinePrefix}*`)] }));
    acknowledgeWildcardResources(
      role,
      [store.bucket.arnForObjects(`${this.offlinePrefix}*`)],
      "Objects under the offline store's prefix only: Feature Store writes Parquet files (and Iceberg metadata) named by account, region, table, event date and a random id, at run time.",
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'], resources: [store.bucket.bucketArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [store.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.offlinePrefix}*`] } },
      }),
    );
    key.grant(role, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
    // Feature Store keeps the offline store's Glue table (Glue or Iceberg format) in the
    // sagemaker_featurestore database up to date with the role: reading and updating the table
    // (the permissions of AWS's AmazonSageMakerFeatureStoreAccess policy, scoped to the catalog,
    // that database and its tables). Without a Glue table there is nothing to update.
    if (!store.disableGlueTableCreation) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'FeatureStoreGlueTable', actions: ['glue:GetTable', 'glue:UpdateTable'], resources: this.glueArns() }));
      acknowledgeWildcardResources(
        role,
        this.glueArns(),
        'Feature Store names the offline-store Glue table when it creates the feature group (feature group name plus a creation timestamp), in its own sagemaker_featurestore database; the role may read and update tables of that database only.',
      );
    }
    return role;
  }

  private validate(props: FeatureGroupProps): string[] {
    const problems: string[] = [];
    // FeatureGroupName: ^[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateFeatureGroup.html#sagemaker-CreateFeatureGroup-request-FeatureGroupName
    if (isConcrete(props.featureGroupName) && !NAME_PATTERN.test(props.featureGroupName)) {
      problems.push(
        `featureGroupName is "${props.featureGroupName}", but must be 1-64 letters, digits, hyphens and underscores, starting and ending with a letter or digit ` +
          `(it has ${props.featureGroupName.length} characters); rename it, or leave it unset for a generated name.`,
      );
    }
    if (props.features.length === 0 || props.features.length > MAX_FEATURES) {
      problems.push(`features has ${props.features.length} entries, but a feature group needs 1 to ${MAX_FEATURES}.`);
    }
    const seen = new Set<string>();
    for (const feature of props.features) {
      const name = feature.featureName;
      if (!isConcrete(name)) continue;
      if (!NAME_PATTERN.test(name)) {
        problems.push(`feature name "${name}" must be 1-64 letters, digits, hyphens and underscores, starting and ending with a letter or digit.`);
      }
      if (RESERVED_FEATURE_NAMES.includes(name.toLowerCase())) {
        problems.push(`feature name "${name}" is reserved by Feature Store (${RESERVED_FEATURE_NAMES.join(', ')}); rename the feature.`);
      }
      if (seen.has(name.toLowerCase())) {
        problems.push(`feature name "${name}" appears more than once (names are compared case-insensitively); give each feature a unique name.`);
      }
      seen.add(name.toLowerCase());
      problems.push(...this.collectionProblems(feature, props.onlineStore));
    }
    const byName = new Map(props.features.map((f) => [f.featureName, f]));
    if (isConcrete(props.recordIdentifierFeatureName) && !byName.has(props.recordIdentifierFeatureName)) {
      problems.push(`recordIdentifierFeatureName is "${props.recordIdentifierFeatureName}", but no feature has that name; add it to features or pick one of them.`);
    }
    if (isConcrete(props.eventTimeFeatureName)) {
      const eventTime = byName.get(props.eventTimeFeatureName);
      if (!eventTime) {
        problems.push(`eventTimeFeatureName is "${props.eventTimeFeatureName}", but no feature has that name; add it to features or pick one of them.`);
      } else if (eventTime.featureType === FeatureType.INTEGRAL || eventTime.collectionType) {
        problems.push(
          `the event time feature "${eventTime.featureName}" is ${eventTime.collectionType ? `a ${eventTime.collectionType}` : eventTime.featureType}, but must be a single Fractional (Unix seconds) or String (ISO-8601) value.`,
        );
      }
    }
    if (!props.onlineStore && !props.offlineStore) {
      problems.push('neither onlineStore nor offlineStore is set, but a feature group needs at least one; add onlineStore: {} or offlineStore: { bucket }.');
    }
    if (props.throughput) {
      problems.push(...props.throughput.problems());
      if (props.throughput.mode === 'Provisioned' && props.onlineStore?.storageType === OnlineStoreStorageType.IN_MEMORY) {
        problems.push('throughput is provisioned, but the InMemory online store supports on-demand throughput only; use Throughput.onDemand() or the Standard tier.');
      }
    }
    if (props.offlineStore?.tableFormat === OfflineStoreTableFormat.ICEBERG && props.offlineStore.disableGlueTableCreation) {
      problems.push('offlineStore uses the Iceberg table format with disableGlueTableCreation, but Iceberg needs the Glue table; remove disableGlueTableCreation or use the Glue format.');
    }
    if (isConcrete(props.offlineStore?.prefix) && props.offlineStore.prefix !== '' && !props.offlineStore.prefix.endsWith('/')) {
      problems.push(`offlineStore.prefix is "${props.offlineStore.prefix}", but must end with "/"; add the slash.`);
    }
    if (isConcrete(props.description) && props.description.length > 128) {
      problems.push(`description has ${props.description.length} characters, but SageMaker allows at most 128; shorten it.`);
    }
    const ttl = props.onlineStore?.timeToLive;
    if (ttl && !Token.isUnresolved(ttl.toSeconds({ integral: false }))) {
      const seconds = ttl.toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds < 1) {
        problems.push(`onlineStore.timeToLive is ${ttl.toHumanString()}, but must be a whole number of seconds, at least 1.`);
      }
    }
    return problems;
  }

  private collectionProblems(feature: FeatureDefinition, onlineStore?: OnlineStoreOptions): string[] {
    const problems: string[] = [];
    const name = feature.featureName;
    if (!feature.collectionType) {
      if (feature.vectorDimension !== undefined) {
        problems.push(`feature "${name}" sets vectorDimension, but only CollectionType.VECTOR features have one; remove it or make the feature a vector.`);
      }
      return problems;
    }
    // SageMaker's API has CollectionType/CollectionConfig, but CloudFormation's
    // AWS::SageMaker::FeatureGroup schema rejects them (additionalProperties: false), so a
    // template with them fails validation and deployment.
    problems.push(
      `feature "${name}" is a ${feature.collectionType} collection, but CloudFormation's AWS::SageMaker::FeatureGroup cannot express collection types yet; ` +
        'store the collection as a String feature (for example JSON), or add the collection feature after deployment with UpdateFeatureGroup (FeatureAdditions).',
    );
    if (onlineStore?.storageType !== OnlineStoreStorageType.IN_MEMORY) {
      problems.push(`feature "${name}" is a ${feature.collectionType} collection, but collection features need the InMemory online store; set onlineStore.storageType to IN_MEMORY.`);
    }
    if (feature.collectionType === CollectionType.VECTOR) {
      if (feature.featureType !== FeatureType.FRACTIONAL) {
        problems.push(`feature "${name}" is a Vector of ${feature.featureType}, but vectors hold Fractional values; use FeatureType.FRACTIONAL.`);
      }
      if (feature.vectorDimension === undefined) {
        problems.push(`feature "${name}" is a Vector without vectorDimension; set vectorDimension (1 to 8192).`);
      }
      const range = rangeProblem(`feature "${name}" vectorDimension`, feature.vectorDimension, 1, 8192);
      if (range) problems.push(range);
    } else if (feature.vectorDimension !== undefined) {
      problems.push(`feature "${name}" sets vectorDimension, but is a ${feature.collectionType}; remove vectorDimension.`);
    }
    return problems;
  }
}

function renderTtl(ttl: Duration): Record<string, unknown> {
  const rendered = ttlDuration(ttl);
  return { Unit: rendered.unit, Value: rendered.value };
}
