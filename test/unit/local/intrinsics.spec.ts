import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, Stack, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import { CloudAssembly } from '../../../lib/local/assembly';
import { AssemblyResolver, type StackResolver } from '../../../lib/local/intrinsics';
import { writeAssembly } from './assembly-helpers';

const TEMPLATE = {
  Parameters: {
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
    Size: { Type: 'Number', Default: 3 },
    NoDefault: { Type: 'String' },
  },
  Mappings: { Images: { 'us-east-1': { account: '683313688378' }, 'eu-west-1': { account: '141502667606' } } },
  Conditions: {
    IsUsEast1: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
    NotUsEast1: { 'Fn::Not': [{ Condition: 'IsUsEast1' }] },
    Both: { 'Fn::And': [{ Condition: 'IsUsEast1' }, { 'Fn::Equals': ['a', 'a'] }] },
    Either: { 'Fn::Or': [{ Condition: 'NotUsEast1' }, { 'Fn::Equals': ['a', 'b'] }] },
  },
  Resources: {
    DataBucketE3889A50: { Type: 'AWS::S3::Bucket' },
    NamedBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Join': ['-', ['named', { Ref: 'AWS::AccountId' }]] } } },
    RoleABC: { Type: 'AWS::IAM::Role' },
    Key961B73FD: { Type: 'AWS::KMS::Key' },
    Topic: { Type: 'AWS::SNS::Topic' },
    Pipeline: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineName: 'my-pipeline' } },
    Sg: { Type: 'AWS::EC2::SecurityGroup' },
  },
  Outputs: {
    BucketOut: { Value: { Ref: 'DataBucketE3889A50' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-bucket' } } },
  },
};

function resolverFor(region?: string): StackResolver {
  const dir = writeAssembly({
    'My-Stack': { template: TEMPLATE, stackName: 'MyStack' },
    Other: { template: { Resources: { Q: { Type: 'AWS::SQS::Queue' } }, Outputs: { Imported: { Value: { 'Fn::ImportValue': 'MyStack-bucket' } } } } },
  });
  return new AssemblyResolver(new CloudAssembly(dir), { region }).forStack('My-Stack');
}

describe('intrinsics', () => {
  const r = resolverFor();
  const resolve = (value: unknown) => r.resolve(value, 'Test');

  test('Ref of pseudo parameters', () => {
    expect(resolve([{ Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::Partition' }, { Ref: 'AWS::URLSuffix' }, { Ref: 'AWS::StackName' }])).toEqual([
      '123456789012', 'us-east-1', 'aws', 'amazonaws.com', 'MyStack',
    ]);
    expect(resolve({ Ref: 'AWS::StackId' })).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/MyStack\/[0-9a-f-]{36}$/);
    expect(resolve({ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }] })).toEqual({ b: [1] });
  });

  test('Ref of parameters gives their defaults; one without a default is an error', () => {
    expect(resolve({ Ref: 'BootstrapVersion' })).toBe('/cdk-bootstrap/hnb659fds/version');
    expect(resolve({ Ref: 'Size' })).toBe(3);
    expect(() => resolve({ Ref: 'NoDefault' })).toThrow('Test/Ref: Ref to parameter "NoDefault", which has no Default');
  });

  test('Ref of resources gives deterministic local physical ids', () => {
    expect(resolve({ Ref: 'DataBucketE3889A50' })).toBe('mystack-databuckete3889a50');
    expect(resolve({ Ref: 'NamedBucket' })).toBe('named-123456789012');
    expect(resolve({ Ref: 'RoleABC' })).toBe('MyStack-RoleABC');
    expect(resolve({ Ref: 'Pipeline' })).toBe('my-pipeline');
    expect(resolve({ Ref: 'Topic' })).toBe('arn:aws:sns:us-east-1:123456789012:MyStack-Topic');
    expect(resolve({ Ref: 'Sg' })).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(() => resolve({ Ref: 'Nope' })).toThrow('Test/Ref: Ref "Nope" is neither a pseudo parameter, a parameter nor a resource of stack MyStack.');
  });

  test('Fn::GetAtt builds ARNs and ids', () => {
    expect(resolve({ 'Fn::GetAtt': ['DataBucketE3889A50', 'Arn'] })).toBe('arn:aws:s3:::mystack-databuckete3889a50');
    expect(resolve({ 'Fn::GetAtt': ['RoleABC', 'Arn'] })).toBe('arn:aws:iam::123456789012:role/MyStack-RoleABC');
    expect(resolve({ 'Fn::GetAtt': ['RoleABC', 'RoleId'] })).toMatch(/^AROA[0-9A-F]{17}$/);
    expect(resolve({ 'Fn::GetAtt': ['Key961B73FD', 'Arn'] })).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);
    expect(resolve({ 'Fn::GetAtt': ['Pipeline', 'PipelineName'] })).toBe('my-pipeline');
    expect(resolve({ 'Fn::GetAtt': 'Pipeline.Arn' })).toBe('arn:aws:sagemaker:us-east-1:123456789012:pipeline/my-pipeline');
    expect(resolve({ 'Fn::GetAtt': ['Sg', 'GroupId'] })).toBe(resolve({ Ref: 'Sg' }));
    expect(() => resolve({ 'Fn::GetAtt': ['Ghost', 'Arn'] })).toThrow('Test/Fn::GetAtt: Fn::GetAtt "Ghost": stack MyStack has no such resource.');
  });

  test('Fn::Join', () => {
    expect(resolve({ 'Fn::Join': ['', ['s3://', { Ref: 'DataBucketE3889A50' }, '/raw/']] })).toBe('s3://mystack-databuckete3889a50/raw/');
  });

  test('Fn::Sub with pseudo parameters, attributes, variables and ${!literal}', () => {
    expect(resolve({ 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' })).toBe('cdk-hnb659fds-assets-123456789012-us-east-1');
    expect(resolve({ 'Fn::Sub': '${RoleABC.Arn}|${RoleABC}|${!Literal}' })).toBe('arn:aws:iam::123456789012:role/MyStack-RoleABC|MyStack-RoleABC|${Literal}');
    expect(resolve({ 'Fn::Sub': ['${A}-${B}', { A: 'x', B: { Ref: 'AWS::Region' } }] })).toBe('x-us-east-1');
  });

  test('Fn::FindInMap', () => {
    expect(resolve({ 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'account'] })).toBe('683313688378');
    expect(() => resolve({ 'Fn::FindInMap': ['Images', 'mars-1', 'account'] })).toThrow(/mapping "Images" has no "mars-1"."account" \(keys: us-east-1, eu-west-1\)/);
  });

  test('Fn::Select and Fn::Split', () => {
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
    expect(() => resolve({ 'Fn::Select': [5, ['a']] })).toThrow(/Fn::Select index 5 is outside the list/);
  });

  test('Fn::If with Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or)', () => {
    expect(resolve({ 'Fn::If': ['IsUsEast1', 'yes', 'no'] })).toBe('yes');
    expect(resolve({ 'Fn::If': ['NotUsEast1', 'yes', 'no'] })).toBe('no');
    expect(resolve({ 'Fn::If': ['Both', 'yes', 'no'] })).toBe('yes');
    expect(resolve({ 'Fn::If': ['Either', 'yes', { Ref: 'AWS::NoValue' }] })).toBeUndefined();
    expect(resolverFor('eu-west-1').resolve({ 'Fn::If': ['Either', 'yes', 'no'] }, 'T')).toBe('yes');
  });

  test('Fn::Base64', () => {
    expect(resolve({ 'Fn::Base64': { 'Fn::Sub': '${AWS::Region}' } })).toBe(Buffer.from('us-east-1').toString('base64'));
  });

  test('Fn::ImportValue finds the export in another stack', () => {
    const dir = writeAssembly({
      'My-Stack': { template: TEMPLATE, stackName: 'MyStack' },
      Other: { template: { Resources: {}, Outputs: { Imported: { Value: { 'Fn::ImportValue': 'MyStack-bucket' } }, Bad: { Value: { 'Fn::ImportValue': 'nope' } } } } },
    });
    const other = new AssemblyResolver(new CloudAssembly(dir)).forStack('Other');
    expect(other.output('Imported')).toBe('mystack-databuckete3889a50');
    expect(() => other.output('Bad')).toThrow('Other/Outputs/Bad/Value/Fn::ImportValue: Fn::ImportValue "nope": no stack of the cloud assembly exports that name.');
  });

  test('an unknown intrinsic is an error naming it and its path', () => {
    expect(() => r.resolve({ Props: { X: [{ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }] } }, 'Resources/R')).toThrow(
      'Resources/R/Props/X/0/Fn::Cidr: the intrinsic function Fn::Cidr is not supported by the local runner.',
    );
  });

  test('Fn::GetStackOutput resolves a cross-stack reference of a synthesized app', () => {
    // The example app's flag (cdk.json): cross-stack references render as Fn::GetStackOutput.
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'local-xstack-')), context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak' } });
    const producer = new Stack(app, 'Producer');
    const bucket = new s3.Bucket(producer, 'Data');
    const topic = new sns.Topic(producer, 'Alerts');
    const consumer = new Stack(app, 'Consumer');
    new CfnOutput(consumer, 'Uri', { value: `s3://${bucket.bucketName}/raw/` });
    new CfnOutput(consumer, 'TopicArn', { value: topic.topicArn });
    new sns.Topic(consumer, 'Local', { displayName: bucket.bucketName });
    const assembly = app.synth();
    const template = JSON.stringify(assembly.getStackByName('Consumer').template);
    expect(template).toContain('Fn::GetStackOutput');
    const resolver = new AssemblyResolver(new CloudAssembly(assembly.directory)).forStack('Consumer');
    expect(resolver.output('Uri')).toMatch(/^s3:\/\/producer-data[0-9a-f]{8}\/raw\/$/);
    expect(resolver.output('TopicArn')).toMatch(/^arn:aws:sns:us-east-1:123456789012:Producer-Alerts[0-9A-F]{8}$/);
  });
});
