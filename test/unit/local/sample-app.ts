/**
 * A hand-written cloud assembly shaped like the example app: a platform stack (data bucket,
 * outputs) and a training stack whose pipeline definitions use Fn::GetStackOutput, Fn::Sub asset
 * locations, Fn::GetAtt and Fn::FindInMap. Not a test file itself.
 */
import { trainingDefinition } from './fake-executors';
import { writeAssembly } from './assembly-helpers';

const DATA_OUTPUT = { 'Fn::GetStackOutput': { StackName: 'Sample-Platform', Region: { Ref: 'AWS::Region' }, OutputName: 'PublishOutputRefDataBucket' } };
const SCRIPT_KEY = 'aaaa1111.py';

/** Replaces `@@NAME@@` markers in the definition's JSON with template values, as CDK renders tokens. */
function join(definition: unknown, values: Record<string, unknown>): unknown {
  const text = JSON.stringify(definition);
  const parts: unknown[] = [];
  let rest = text;
  for (;;) {
    const match = /@@([A-Z]+)@@/.exec(rest);
    if (!match) break;
    parts.push(rest.slice(0, match.index), values[match[1]]);
    rest = rest.slice(match.index + match[0].length);
  }
  parts.push(rest);
  return { 'Fn::Join': ['', parts] };
}

/** Writes the sample assembly; returns its directory. */
export function writeSampleAssembly(): string {
  const definition = trainingDefinition() as any;
  const json = JSON.stringify(definition).replace(/s3:\/\/data-bucket\//g, 's3://@@DATA@@/');
  const withCode = JSON.parse(json);
  withCode.Steps[0].Arguments.ProcessingInputs.push({ InputName: 'code', S3Input: { S3Uri: '@@CODE@@', LocalPath: '/opt/ml/processing/input/code' } });
  withCode.Steps[0].Arguments.RoleArn = '@@ROLE@@';
  withCode.Steps[0].Arguments.AppSpecification.ImageUri = '@@IMAGE@@';
  const tuning = { Version: '2020-12-01', Parameters: [], Steps: [{ Name: 'Check', Type: 'Condition', Arguments: { Conditions: [{ Type: 'Equals', LeftValue: 1, RightValue: 1 }] } }] };
  return writeAssembly({
    'Sample-Platform': {
      template: {
        Resources: { DataBucketE3889A50: { Type: 'AWS::S3::Bucket' }, ArtifactsBucket2AAC5544: { Type: 'AWS::S3::Bucket' } },
        Outputs: {
          DataBucketName: { Value: { Ref: 'DataBucketE3889A50' } },
          PublishOutputRefDataBucket: { Value: { Ref: 'DataBucketE3889A50' } },
        },
      },
    },
    'Sample-Training': {
      template: {
        Mappings: { Images: { 'us-east-1': { account: '683313688378' } } },
        Resources: {
          Role: { Type: 'AWS::IAM::Role' },
          PipelineC660917D: {
            Type: 'AWS::SageMaker::Pipeline',
            Properties: {
              PipelineName: 'sample-training',
              PipelineDefinition: {
                PipelineDefinitionBody: join(withCode, {
                  DATA: DATA_OUTPUT,
                  CODE: { 'Fn::Sub': `s3://cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${SCRIPT_KEY}` },
                  ROLE: { 'Fn::GetAtt': ['Role', 'Arn'] },
                  IMAGE: { 'Fn::Join': ['', [{ 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'account'] }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-scikit-learn:1.2-1-cpu-py3']] },
                }),
              },
            },
            Metadata: { 'aws:cdk:path': 'Sample-Training/Pipeline/Resource' },
          },
          TuningPipelineA69922BC: {
            Type: 'AWS::SageMaker::Pipeline',
            Properties: {
              PipelineName: 'sample-tuning',
              PipelineDefinition: { PipelineDefinitionS3Location: { Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, Key: 'bbbb2222.json' } },
            },
            Metadata: { 'aws:cdk:path': 'Sample-Training/TuningPipeline/Resource' },
          },
          Model0301700E: {
            Type: 'AWS::SageMaker::Model',
            Properties: {
              ExecutionRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
              PrimaryContainer: { Image: 'xgb', ModelDataUrl: { 'Fn::Join': ['', ['s3://', DATA_OUTPUT, '/models/model.tar.gz']] } },
            },
            Metadata: { 'aws:cdk:path': 'Sample-Training/Model/Resource' },
          },
        },
      },
      assets: {
        aaaa1111: {
          displayName: 'Preprocess/Script',
          source: { path: 'asset.aaaa1111.py', packaging: 'file' },
          destinations: { d: { bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}', objectKey: SCRIPT_KEY } },
        },
        bbbb2222: {
          displayName: 'TuningPipeline/DefinitionAsset',
          source: { path: 'asset.bbbb2222.json', packaging: 'file' },
          destinations: { d: { bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}', objectKey: 'bbbb2222.json' } },
        },
        cccc3333: {
          displayName: 'Handler/Code',
          source: { path: 'asset.cccc3333', packaging: 'zip' },
          destinations: { d: { bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}', objectKey: 'cccc3333.zip' } },
        },
      },
      files: { 'asset.aaaa1111.py': 'print("preprocess")\n', 'asset.bbbb2222.json': JSON.stringify(tuning), 'asset.cccc3333/index.js': '' },
    },
  });
}
