import { Duration, Lazy, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { RekognitionError, RekognitionImageAnalysis, RekognitionImageState, RekognitionImageStateProps } from '../../../lib/constructs/ai-services';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { JobRetry, MlWorkflow } from '../../../lib/constructs/workflows';
import { envAgnosticStack, expectLeastPrivilege, expectNagClean, testApp, testStack, validationFindings } from '../../helpers';
import { policyStatements, statementsWith } from './sync-states-support';

type StateJson = { Type: string; Resource: unknown; Parameters: Record<string, any>; ResultPath: string; Retry?: Array<Record<string, unknown>> };

function setup(stack: Stack = testStack()) {
  const key = new MlKey(stack, 'Key');
  const bucket = new SecureBucket(stack, 'Images', { encryptionKey: key });
  return { stack, key, bucket };
}

function state(props: Partial<RekognitionImageStateProps> = {}, stack?: Stack) {
  const env = setup(stack);
  const s = new RekognitionImageState(env.stack, 'Labels', { analysis: RekognitionImageAnalysis.LABELS, bucket: env.bucket, key: 'photos/cat.jpg', ...props });
  return { ...env, state: s, json: env.stack.resolve(s.toStateJson()) as StateJson };
}

describe('RekognitionImageState: rendering', () => {
  test('a key built by an intrinsic function (States.Format) is read at run time, like a JSONPath', () => {
    const key = "States.Format('uploads/{}.png', $.applicationId)";
    const { json, state: s } = state({ key, keyPrefix: 'uploads/' });
    expect(json.Parameters.Image.S3Object).toMatchObject({ 'Name.$': key });
    expect(json.Parameters.Image.S3Object.Name).toBeUndefined();
    expect(s.objectArn).toMatch(/uploads\/\*$/);
  });

  test('labels: the aws-sdk rekognition:detectLabels integration on a fixed S3 object, result at $.<state name>', () => {
    const { stack, bucket, state: s, json } = state({ minConfidence: 80, maxLabels: 10 });
    expect(json.Type).toBe('Task');
    expect(json.Resource).toBe('arn:aws:states:::aws-sdk:rekognition:detectLabels');
    expect(s.integrationArn).toBe('arn:aws:states:::aws-sdk:rekognition:detectLabels');
    expect(json.Parameters).toEqual({ Image: { S3Object: { Bucket: stack.resolve(bucket.bucketName), Name: 'photos/cat.jpg' } }, MinConfidence: 80, MaxLabels: 10 });
    expect(json.ResultPath).toBe('$.Labels');
    expect(s.stateId).toBe('Labels');
    expect(s.resultJsonPath).toBe('$.Labels');
    expect(s.pathOf('Labels')).toBe('$.Labels.Labels');
  });

  test('moderation: detectModerationLabels, the key read from the state input, and a state name', () => {
    const { json, state: s } = state({ analysis: RekognitionImageAnalysis.MODERATION, key: '$.imageKey', keyPrefix: 'uploads/', stateName: 'Moderate', minConfidence: 60 });
    expect(json.Resource).toBe('arn:aws:states:::aws-sdk:rekognition:detectModerationLabels');
    expect(json.Parameters.Image.S3Object['Name.$']).toBe('$.imageKey');
    expect(json.Parameters.Image.S3Object.Name).toBeUndefined();
    expect(json.Parameters.MaxLabels).toBeUndefined();
    expect(json.ResultPath).toBe('$.Moderate');
    expect(s.stateId).toBe('Moderate');
  });

  test('the integration ARN follows the partition: aws-us-gov in GovCloud, AWS::Partition in an env-agnostic stack', () => {
    const gov = state({}, testStack(testApp(), 'GovStack', { env: { account: '123456789012', region: 'us-gov-west-1' } }));
    expect(gov.json.Resource).toBe('arn:aws-us-gov:states:::aws-sdk:rekognition:detectLabels');
    const agnostic = state({}, envAgnosticStack());
    expect(agnostic.json.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::aws-sdk:rekognition:detectLabels']] });
  });

  test('retries throttling, throughput and service errors by default (2 s, backoff 2, 6 attempts, jitter)', () => {
    expect(state().json.Retry).toEqual([
      {
        ErrorEquals: ['Rekognition.ThrottlingException', 'Rekognition.ProvisionedThroughputExceededException', 'Rekognition.InternalServerErrorException'],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      },
    ]);
    expect(RekognitionError.RETRYABLE).toEqual(['Rekognition.ThrottlingException', 'Rekognition.ProvisionedThroughputExceededException', 'Rekognition.InternalServerErrorException']);
  });

  test('retries are configurable; an empty list switches them off', () => {
    const custom = state({ retries: [new JobRetry({ errors: [RekognitionError.THROTTLING], interval: Duration.seconds(5), maxAttempts: 2, backoffRate: 1 })] });
    expect(custom.json.Retry).toEqual([{ ErrorEquals: ['Rekognition.ThrottlingException'], IntervalSeconds: 5, MaxAttempts: 2, BackoffRate: 1 }]);
    expect(state({ retries: [] }).json.Retry).toBeUndefined();
  });

  test('unresolved tokens pass through unchecked', () => {
    const { stack, json } = state({ key: Lazy.string({ produce: () => 'late/key.png' }), minConfidence: Lazy.number({ produce: () => 150 }), maxLabels: Lazy.number({ produce: () => 0 }) });
    expect(stack.resolve(json.Parameters)).toEqual(expect.objectContaining({ MinConfidence: 150, MaxLabels: 0 }));
    expect(json.Parameters.Image.S3Object.Name).toBe('late/key.png');
  });
});

describe('RekognitionImageState: grants', () => {
  function workflowWith(props: Partial<RekognitionImageStateProps>) {
    const env = setup();
    const s = new RekognitionImageState(env.stack, 'Labels', { analysis: RekognitionImageAnalysis.LABELS, bucket: env.bucket, key: 'photos/cat.jpg', ...props });
    const workflow = new MlWorkflow(env.stack, 'Workflow', { states: [s], encryptionKey: env.key });
    return { ...env, state: s, workflow };
  }

  test('the Rekognition action on "*" (no resource type), GetObject on exactly the image, Decrypt on its key through S3 only', () => {
    const { stack, bucket, key } = workflowWith({});
    // aws-cdk-lib merges it into the role's one statement on "*" (with X-Ray and log delivery).
    expect(statementsWith(stack, 'rekognition:DetectLabels')).toEqual([{ Action: expect.arrayContaining(['rekognition:DetectLabels']), Effect: 'Allow', Resource: '*' }]);
    expect(statementsWith(stack, 's3:GetObject')).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(bucket.arnForObjects('photos/cat.jpg')) },
    ]);
    expect(statementsWith(stack, 'kms:Decrypt')).toContainEqual({
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: stack.resolve(key.keyArn),
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
    expect(statementsWith(stack, 'rekognition:DetectModerationLabels')).toEqual([]);
    // Nothing else on S3: no listing, no writes.
    expect(policyStatements(stack).flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('s3:'))).toEqual(['s3:GetObject']);
  });

  test('a key read from the input: GetObject on the objects under keyPrefix only', () => {
    const { stack, bucket, state: s } = workflowWith({ analysis: RekognitionImageAnalysis.MODERATION, key: '$.imageKey', keyPrefix: 'uploads/' });
    expect(stack.resolve(s.objectArn)).toEqual(stack.resolve(bucket.arnForObjects('uploads/*')));
    expect(statementsWith(stack, 's3:GetObject')).toEqual([{ Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(bucket.arnForObjects('uploads/*')) }]);
    expect(statementsWith(stack, 'rekognition:DetectModerationLabels')).toEqual([{ Action: expect.arrayContaining(['rekognition:DetectModerationLabels']), Effect: 'Allow', Resource: '*' }]);
  });

  test('an unencrypted imported bucket: no KMS statement; an explicit encryptionKey is used', () => {
    const stack = testStack();
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'images-bucket');
    const plain = new RekognitionImageState(stack, 'Plain', { analysis: RekognitionImageAnalysis.LABELS, bucket: imported, key: 'a.png' });
    expect(plain.policyStatements().map((s) => s.actions).flat()).toEqual(['rekognition:DetectLabels', 's3:GetObject']);
    const key = new MlKey(stack, 'Key');
    const withKey = new RekognitionImageState(stack, 'WithKey', { analysis: RekognitionImageAnalysis.LABELS, bucket: imported, key: 'a.png', encryptionKey: key });
    expect(stack.resolve(withKey.policyStatements()[2].toStatementJson())).toEqual({
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: stack.resolve(key.keyArn),
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
  });

  test('least privilege: the only "*" is the Rekognition action, which takes no resource type', () => {
    const { stack } = workflowWith({});
    expectLeastPrivilege(stack);
  });

  test('a workflow with a labels state (fixed key) is clean under the three nag packs and the schema rules', () => {
    const app = testApp();
    const stack = testStack(app);
    const env = setup(stack);
    const s = new RekognitionImageState(stack, 'Labels', { analysis: RekognitionImageAnalysis.LABELS, bucket: env.bucket, key: 'photos/cat.jpg' });
    new MlWorkflow(stack, 'Workflow', { states: [s], encryptionKey: env.key });
    expectNagClean(app);
  });

  test("a key read from the input leaves one finding, the prefix wildcard: the user's choice, not acknowledged by the library", () => {
    const app = testApp();
    const stack = testStack(app);
    const env = setup(stack);
    const s = new RekognitionImageState(stack, 'Moderate', { analysis: RekognitionImageAnalysis.MODERATION, bucket: env.bucket, key: '$.imageKey', keyPrefix: 'uploads/' });
    new MlWorkflow(stack, 'Workflow', { states: [s], encryptionKey: env.key });
    const findings = validationFindings(app);
    expect(findings.map((f) => f.rule)).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Images[0-9A-F]+\.Arn>\/uploads\/\*\]$/)]);
  });
});

describe('RekognitionImageState: validation', () => {
  const expectError = (props: Partial<RekognitionImageStateProps>, message: RegExp, stack?: Stack) => expect(() => state(props, stack)).toThrow(message);

  test('an unknown analysis', () => {
    expectError({ analysis: 'FACES' as RekognitionImageAnalysis }, /\[TestStack\/Labels\] analysis "FACES" is not one of LABELS, MODERATION/);
  });
  test('a state name that is not letters and digits', () => {
    expectError({ stateName: 'detect-labels' }, /\[TestStack\/Labels\] state name "detect-labels" must be 1-80 letters and digits/);
  });
  test('a fixed key longer than 1024 characters', () => {
    expectError({ key: 'k'.repeat(1025) }, /key "k+" has 1025 characters, but an S3 object key for Rekognition must have 1 to 1024/);
  });
  test('an empty fixed key', () => {
    expectError({ key: '' }, /key "" has 0 characters/);
  });
  test('a key read from the input without keyPrefix', () => {
    expectError({ key: '$.imageKey' }, /key "\$\.imageKey" is read from the state input, so give keyPrefix/);
  });
  test('keyPrefix with a fixed key', () => {
    expectError({ keyPrefix: 'photos/' }, /keyPrefix "photos\/" applies only to a key read from the state input/);
  });
  test('an empty or wildcard keyPrefix', () => {
    expectError({ key: '$.imageKey', keyPrefix: 'a*' }, /keyPrefix "a\*" must be a non-empty key prefix without "\*"/);
  });
  test('minConfidence outside 0-100', () => {
    expectError({ minConfidence: 101 }, /minConfidence is 101, but must be between 0 and 100/);
  });
  test('maxLabels below 1', () => {
    expectError({ maxLabels: 0 }, /maxLabels is 0, but must be a whole number of at least 1/);
  });
  test('maxLabels on a moderation state', () => {
    expectError({ analysis: RekognitionImageAnalysis.MODERATION, maxLabels: 5 }, /maxLabels is set, but applies only to RekognitionImageAnalysis\.LABELS/);
  });
  test('a bucket in another region than the state machine', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Far', { bucketName: 'far-images', region: 'eu-west-1' });
    expect(() => new RekognitionImageState(stack, 'Labels', { analysis: RekognitionImageAnalysis.LABELS, bucket, key: 'a.png' })).toThrow(
      /bucket TestStack\/Far is in eu-west-1, but the state machine calls Rekognition in us-east-1; Rekognition reads only S3 objects in its own region/,
    );
  });
  test('a region without Rekognition (AWS China)', () => {
    expectError({}, /\[ChinaStack\/Labels\] Amazon Rekognition has no endpoint in cn-north-1/, testStack(testApp(), 'ChinaStack', { env: { account: '123456789012', region: 'cn-north-1' } }));
    expect(RekognitionImageState.isAvailableIn('cn-northwest-1')).toBe(false);
    expect(RekognitionImageState.isAvailableIn('us-east-1')).toBe(true);
    expect(RekognitionImageState.isAvailableIn(Stack.of(envAgnosticStack()).region)).toBe(true);
  });
  test('an invalid retry policy', () => {
    expectError({ retries: [new JobRetry({ errors: [RekognitionError.THROTTLING], maxAttempts: -1 })] }, /retry maxAttempts is -1/);
  });
  test('several problems come in one message', () => {
    expectError({ minConfidence: -1, maxLabels: 0 }, /2 problems:\n {2}- minConfidence is -1.*\n {2}- maxLabels is 0/s);
  });
});
