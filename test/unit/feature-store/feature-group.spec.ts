import { Duration, Lazy, RemovalPolicy, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  CollectionType,
  FeatureGroup,
  FeatureGroupProps,
  FeatureType,
  ManagedPolicyRole,
  OfflineStoreTableFormat,
  OnlineStoreStorageType,
  SecureBucket,
  Throughput,
} from '../../../lib';
import { WildcardPermissions } from '../../../lib/testing';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

/** The reference customer features. */
const FEATURES = [
  { featureName: 'customer_id', featureType: FeatureType.STRING },
  { featureName: 'event_time', featureType: FeatureType.FRACTIONAL },
  { featureName: 'age', featureType: FeatureType.INTEGRAL },
  { featureName: 'income', featureType: FeatureType.FRACTIONAL },
  { featureName: 'label', featureType: FeatureType.INTEGRAL },
];

const BASE: FeatureGroupProps = {
  featureGroupName: 'customer_features',
  features: FEATURES,
  recordIdentifierFeatureName: 'customer_id',
  eventTimeFeatureName: 'event_time',
  onlineStore: {},
};

describe('FeatureGroup with online and offline stores', () => {
  const app = testApp();
  const stack = testStack(app);
  const bucket = new SecureBucket(stack, 'Data');
  const group = new FeatureGroup(stack, 'Customers', {
    ...BASE,
    onlineStore: { timeToLive: Duration.days(30) },
    offlineStore: { bucket },
    description: 'Customer features for loan default',
  });
  const consumer = new ManagedPolicyRole(stack, 'Consumer', { assumedBy: new iam.AccountRootPrincipal() });
  group.grantPutRecord(consumer);
  group.grantGetRecord(consumer);
  group.grantDeleteRecord(consumer);
  group.grantReadOfflineStore(consumer);
  const template = Template.fromStack(stack);
  const arn = 'arn:aws:sagemaker:us-east-1:123456789012:feature-group/customer_features';

  test('renders both stores with KMS, on-demand throughput, RETAIN', () => {
    template.hasResource('AWS::SageMaker::FeatureGroup', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        FeatureGroupName: 'customer_features',
        RecordIdentifierFeatureName: 'customer_id',
        EventTimeFeatureName: 'event_time',
        FeatureDefinitions: [
          { FeatureName: 'customer_id', FeatureType: 'String' },
          { FeatureName: 'event_time', FeatureType: 'Fractional' },
          { FeatureName: 'age', FeatureType: 'Integral' },
          { FeatureName: 'income', FeatureType: 'Fractional' },
          { FeatureName: 'label', FeatureType: 'Integral' },
        ],
        OnlineStoreConfig: {
          EnableOnlineStore: true,
          StorageType: 'Standard',
          SecurityConfig: { KmsKeyId: Match.anyValue() },
          TtlDuration: { Unit: 'Days', Value: 30 },
        },
        OfflineStoreConfig: {
          S3StorageConfig: { S3Uri: Match.anyValue(), KmsKeyId: stack.resolve(bucket.encryptionKey!.keyArn) },
          DisableGlueTableCreation: false,
          TableFormat: 'Glue',
        },
        RoleArn: Match.anyValue(),
        ThroughputConfig: { ThroughputMode: 'OnDemand' },
        Description: 'Customer features for loan default',
      },
    });
  });

  test('record grants name this group only', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(consumer.roleName)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['sagemaker:BatchGetRecord', 'sagemaker:DeleteRecord', 'sagemaker:GetRecord', 'sagemaker:PutRecord'], Resource: arn }),
          Match.objectLike({ Action: 's3:GetObject', Resource: Match.anyValue() }),
        ]),
      },
    });
  });

  test('the offline-store role of a Glue-format store may read and update its Glue table in sagemaker_featurestore only', () => {
    const group = stack.node.findAll().find((c): c is FeatureGroup => c instanceof FeatureGroup)!;
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve((group.offlineStoreRole as iam.IRole).roleName)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'FeatureStoreGlueTable',
            Effect: 'Allow',
            Action: ['glue:GetTable', 'glue:UpdateTable'],
            Resource: [
              'arn:aws:glue:us-east-1:123456789012:catalog',
              'arn:aws:glue:us-east-1:123456789012:database/sagemaker_featurestore',
              'arn:aws:glue:us-east-1:123456789012:table/sagemaker_featurestore/*',
            ],
          },
        ]),
      },
    });
  });

  test('the offline-store role writes only under its prefix', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['s3:GetObject', 's3:PutObject', 's3:PutObjectAcl'], Resource: { 'Fn::Join': ['', [Match.anyValue(), '/feature-store/*']] } }),
        ]),
      },
    });
  });

  test('passes the nag packs and the IAM check', () => {
    // The feature group acknowledges its own offline-store role's findings; the consumer role is
    // the app's, and so is the acknowledgement of what the app granted it.
    WildcardPermissions.acknowledge(consumer, [
      { pattern: '^Resource::<Data[0-9A-F]+\\.Arn>/feature-store/\\*$', reason: 'The consumer reads the offline store: files Feature Store names at run time under its prefix.' },
      { pattern: '^Resource::arn:aws:glue:us-east-1:123456789012:table/sagemaker_featurestore/\\*$', reason: 'The consumer reads the offline-store table Feature Store names at creation time, in its own database.' },
    ]);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});

describe('FeatureGroup options', () => {
  test('offline only, Iceberg, provisioned throughput, generated name, destroy on removal', () => {
    const stack = testStack();
    new FeatureGroup(stack, 'Offline', {
      ...BASE,
      featureGroupName: undefined,
      onlineStore: undefined,
      offlineStore: { bucket: new SecureBucket(stack, 'Data'), prefix: 'fs/', tableFormat: OfflineStoreTableFormat.ICEBERG },
      throughput: Throughput.provisioned({ readCapacityUnits: 10, writeCapacityUnits: 5 }),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::SageMaker::FeatureGroup', {
      DeletionPolicy: 'Delete',
      Properties: {
        FeatureGroupName: Match.stringLikeRegexp('^TestStack-Offline-[A-F0-9]+$'),
        OnlineStoreConfig: Match.absent(),
        OfflineStoreConfig: Match.objectLike({ TableFormat: 'Iceberg' }),
        ThroughputConfig: { ThroughputMode: 'Provisioned', ProvisionedReadCapacityUnits: 10, ProvisionedWriteCapacityUnits: 5 },
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['glue:GetTable', 'glue:UpdateTable'] })]) },
    });
  });

  test('collection features are explained as not yet expressible in CloudFormation', () => {
    expect(
      () =>
        new FeatureGroup(testStack(), 'Vectors', {
          ...BASE,
          features: [...FEATURES, { featureName: 'embedding', featureType: FeatureType.FRACTIONAL, collectionType: CollectionType.VECTOR, vectorDimension: 128 }],
          onlineStore: { storageType: OnlineStoreStorageType.IN_MEMORY },
        }),
    ).toThrow(/feature "embedding" is a Vector collection, but CloudFormation's AWS::SageMaker::FeatureGroup cannot express collection types yet/);
  });

  test('adding a feature keeps the logical id and generated name (an in-place update, no replacement)', () => {
    const render = (features: FeatureGroupProps['features']) => {
      const stack = testStack(testApp());
      const group = new FeatureGroup(stack, 'Customers', { ...BASE, featureGroupName: undefined, features });
      const resources = Template.fromStack(stack).findResources('AWS::SageMaker::FeatureGroup');
      expect(Object.keys(resources)).toEqual([stack.getLogicalId(group.node.defaultChild as never)]);
      return Object.entries(resources).map(([id, r]) => [id, r.Properties.FeatureGroupName, r.DeletionPolicy]);
    };
    const before = render(FEATURES);
    const after = render([...FEATURES, { featureName: 'tenure_months', featureType: FeatureType.INTEGRAL }]);
    expect(after).toEqual(before);
    expect(before[0][2]).toBe('Retain');
  });

  test('fromFeatureGroupName grants on the named group', () => {
    const stack = testStack();
    const imported = FeatureGroup.fromFeatureGroupName(stack, 'Imported', 'Shared-Features');
    expect(imported.featureGroupArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:feature-group/shared-features');
  });

  test('unresolved tokens are not validated', () => {
    const stack = testStack();
    const token = Lazy.string({ produce: () => 'customer_id' });
    expect(() => new FeatureGroup(stack, 'Tokens', { ...BASE, featureGroupName: Lazy.string({ produce: () => 'x' }), recordIdentifierFeatureName: token })).not.toThrow();
  });
});

describe('FeatureGroup validation', () => {
  function make(props: Partial<FeatureGroupProps>): FeatureGroup {
    return new FeatureGroup(testStack(), 'Group', { ...BASE, ...props });
  }

  test('name pattern', () => {
    expect(() => make({ featureGroupName: 'customer features' })).toThrow(/\[TestStack\/Group\] featureGroupName is "customer features", but must be 1-64 letters/);
  });

  test('name length', () => {
    expect(() => make({ featureGroupName: 'a'.repeat(65) })).toThrow(/featureGroupName is "a{65}"/);
  });

  test('feature count limit', () => {
    const many = Array.from({ length: 2501 }, (_, i) => ({ featureName: `f${i}`, featureType: FeatureType.INTEGRAL }));
    expect(() => make({ features: [...FEATURES, ...many] })).toThrow(/features has 2506 entries, but a feature group needs 1 to 2500/);
  });

  test('reserved names', () => {
    expect(() => make({ features: [...FEATURES, { featureName: 'write_time', featureType: FeatureType.STRING }] })).toThrow(/feature name "write_time" is reserved by Feature Store/);
  });

  test('duplicate names', () => {
    expect(() => make({ features: [...FEATURES, { featureName: 'Age', featureType: FeatureType.INTEGRAL }] })).toThrow(/feature name "Age" appears more than once/);
  });

  test('record identifier must exist', () => {
    expect(() => make({ recordIdentifierFeatureName: 'id' })).toThrow(/recordIdentifierFeatureName is "id", but no feature has that name/);
  });

  test('event time must exist', () => {
    expect(() => make({ eventTimeFeatureName: 'ts' })).toThrow(/eventTimeFeatureName is "ts", but no feature has that name/);
  });

  test('event time must be Fractional or String', () => {
    expect(() => make({ eventTimeFeatureName: 'age' })).toThrow(/the event time feature "age" is Integral, but must be a single Fractional/);
  });

  test('at least one store', () => {
    expect(() => make({ onlineStore: undefined })).toThrow(/neither onlineStore nor offlineStore is set/);
  });

  test('collections need the InMemory store', () => {
    expect(() => make({ features: [...FEATURES, { featureName: 'tags', featureType: FeatureType.STRING, collectionType: CollectionType.SET }] })).toThrow(
      /feature "tags" is a Set collection, but collection features need the InMemory online store/,
    );
  });

  test('vectors need a dimension and fractional values', () => {
    expect(() =>
      make({
        onlineStore: { storageType: OnlineStoreStorageType.IN_MEMORY },
        features: [...FEATURES, { featureName: 'v', featureType: FeatureType.INTEGRAL, collectionType: CollectionType.VECTOR }],
      }),
    ).toThrow(/3 problems:[\s\S]*Vector of Integral[\s\S]*Vector without vectorDimension/);
  });

  test('provisioned capacity out of range and with InMemory', () => {
    expect(() =>
      make({ onlineStore: { storageType: OnlineStoreStorageType.IN_MEMORY }, throughput: Throughput.provisioned({ readCapacityUnits: 0, writeCapacityUnits: 5 }) }),
    ).toThrow(/provisioned readCapacityUnits is 0[\s\S]*InMemory online store supports on-demand throughput only/);
  });

  test('Iceberg without the Glue table', () => {
    expect(() =>
      make({ offlineStore: { bucket: undefined as never, tableFormat: OfflineStoreTableFormat.ICEBERG, disableGlueTableCreation: true } }),
    ).toThrow(/Iceberg needs the Glue table/);
  });

  test('time to live in fractions of a second', () => {
    expect(() => make({ onlineStore: { timeToLive: Duration.millis(1500) } })).toThrow(/onlineStore.timeToLive is 1 second 500 millis, but must be a whole number of seconds/);
  });

  test('grantReadOfflineStore without an offline store', () => {
    const group = make({});
    expect(() => group.grantReadOfflineStore(new iam.AccountRootPrincipal())).toThrow(/has no offline store/);
  });
});
