import { DeleteObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AnalysisConfigEvent, onEvent } from '../../../../lib/constructs/pipelines/handlers/write-analysis-config';

const s3 = mockClient(S3Client);
const BODY = JSON.stringify({ dataset_type: 'text/csv', label: 'default', label_values_or_threshold: [1], facet: [{ name_or_index: 'gender' }] });
const URI = 's3://data-bucket/clarify/bias/analysis_config.json';

function event(RequestType: AnalysisConfigEvent['RequestType'], overrides: Partial<AnalysisConfigEvent['ResourceProperties']> = {}, PhysicalResourceId?: string): AnalysisConfigEvent {
  return {
    RequestType,
    PhysicalResourceId: PhysicalResourceId ?? (RequestType === 'Create' ? undefined : URI),
    ResourceProperties: { Bucket: 'data-bucket', Key: 'clarify/bias/analysis_config.json', Body: BODY, ...overrides },
  };
}

function s3Error(name: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: {}, message: name });
}

beforeEach(() => {
  s3.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('Create and Update', () => {
  test.each(['Create', 'Update'] as const)('%s writes the JSON document with no encryption header (the bucket default applies)', async (type) => {
    s3.on(PutObjectCommand).resolves({});
    await expect(onEvent(event(type))).resolves.toEqual({ PhysicalResourceId: URI, Data: { S3Uri: URI } });
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'data-bucket', Key: 'clarify/bias/analysis_config.json', Body: BODY, ContentType: 'application/json' },
    ]);
  });

  test('an Update to another key answers with the new physical id, so CloudFormation deletes the old object', async () => {
    s3.on(PutObjectCommand).resolves({});
    const result = await onEvent(event('Update', { Key: 'clarify/new/analysis_config.json' }));
    expect(result.PhysicalResourceId).toBe('s3://data-bucket/clarify/new/analysis_config.json');
  });

  test('a body that is not JSON fails before writing', async () => {
    await expect(onEvent(event('Create', { Body: '{"label": ' }))).rejects.toThrow(
      /The Clarify analysis configuration for s3:\/\/data-bucket\/clarify\/bias\/analysis_config.json is not valid JSON/,
    );
    expect(s3.calls()).toHaveLength(0);
  });

  test('missing properties are named', async () => {
    await expect(onEvent(event('Create', { Bucket: '', Body: '' }))).rejects.toThrow('The Clarify analysis configuration custom resource needs the Bucket, Body properties.');
  });

  test('an S3 error fails the operation', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied'));
    await expect(onEvent(event('Create'))).rejects.toThrow('AccessDenied');
  });
});

describe('Delete', () => {
  test('deletes the object named by the physical id', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    await expect(onEvent(event('Delete', { Key: 'clarify/new/analysis_config.json' }))).resolves.toEqual({ PhysicalResourceId: URI });
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: 'data-bucket', Key: 'clarify/bias/analysis_config.json' }]);
  });

  test('a failed Create (no S3 physical id) deletes the object of the properties', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    await onEvent(event('Delete', {}, 'a-failed-create'));
    expect(s3.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual({ Bucket: 'data-bucket', Key: 'clarify/bias/analysis_config.json' });
  });

  test.each(['AccessDenied', 'NoSuchBucket'])('%s leaves the object and does not fail the stack operation', async (name) => {
    s3.on(DeleteObjectCommand).rejects(s3Error(name));
    await expect(onEvent(event('Delete'))).resolves.toEqual({ PhysicalResourceId: URI });
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining(`left in place (${name})`));
  });

  test('other errors fail the deletion', async () => {
    s3.on(DeleteObjectCommand).rejects(s3Error('SlowDown'));
    await expect(onEvent(event('Delete'))).rejects.toThrow('SlowDown');
  });
});
