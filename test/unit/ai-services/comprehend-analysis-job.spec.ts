import { CfnParameter, Duration, Stack, aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ComprehendAnalysisJob, ComprehendInputFormat, ComprehendJobAnalysis, ComprehendLanguage } from '../../../lib/constructs/ai-services';
import { MlKey, MlNetwork, SecureBucket } from '../../../lib/constructs/security';
import { JobRetry, MlWorkflow } from '../../../lib/constructs/workflows';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { definitionOf } from '../workflows/support';

function setup(stack: Stack = testStack()) {
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  return { stack, key, data };
}

function policyOf(stack: Stack, roleName: unknown): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies)
    .map((p) => (p as { Properties: { Roles: unknown[]; PolicyDocument: { Statement: unknown[] } } }).Properties)
    .filter((p) => JSON.stringify(p.Roles) === JSON.stringify([roleName]))
    .flatMap((p) => p.PolicyDocument.Statement);
}

describe('ComprehendAnalysisJob', () => {
  const { stack, key, data } = setup();
  const job = new ComprehendAnalysisJob(stack, 'Sentiment', {
    analysis: ComprehendJobAnalysis.SENTIMENT,
    languageCode: ComprehendLanguage.CHINESE_SIMPLIFIED,
    inputBucket: data,
    inputKeyPrefix: 'notes/',
    outputBucket: data,
  });
  const wf = new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
  const definition = definitionOf(stack, wf);

  test('start (result reshaped like the describe response) → wait (60 s) → describe → status choice; STOPPED fails too', () => {
    expect(definition.StartAt).toBe('SentimentStart');
    expect(definition.States.SentimentStart).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:comprehend:startSentimentDetectionJob',
      Parameters: {
        'JobName.$': "States.Format('{}-Sentiment', $$.Execution.Name)",
        DataAccessRoleArn: 'X',
        LanguageCode: 'zh',
        InputDataConfig: { S3Uri: 's3://X/notes/', InputFormat: 'ONE_DOC_PER_LINE' },
        OutputDataConfig: { S3Uri: 's3://X/comprehend/', KmsKeyId: 'X' },
        VolumeKmsKeyId: 'X',
      },
      ResultSelector: { SentimentDetectionJobProperties: { 'JobId.$': '$.JobId', 'JobArn.$': '$.JobArn', 'JobStatus.$': '$.JobStatus' } },
      ResultPath: '$.Sentiment',
      Next: 'SentimentWait',
    });
    expect(definition.States.SentimentWait).toMatchObject({ Type: 'Wait', Seconds: 60, Next: 'SentimentDescribe' });
    expect(definition.States.SentimentDescribe).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:comprehend:describeSentimentDetectionJob',
      Parameters: { 'JobId.$': '$.Sentiment.SentimentDetectionJobProperties.JobId' },
      ResultPath: '$.Sentiment',
      Next: 'SentimentStatus',
    });
    const status = '$.Sentiment.SentimentDetectionJobProperties.JobStatus';
    expect(definition.States.SentimentStatus).toMatchObject({
      Choices: [
        { Variable: status, StringEquals: 'COMPLETED', Next: 'SentimentSucceeded' },
        { Variable: status, StringEquals: 'FAILED', Next: 'SentimentFailed' },
        { Variable: status, StringEquals: 'STOPPED', Next: 'SentimentStopped' },
      ],
      Default: 'SentimentWait',
    });
    expect(definition.States.SentimentFailed).toMatchObject({ Type: 'Fail', Error: 'Comprehend.JobFailed', CausePath: '$.Sentiment.SentimentDetectionJobProperties.Message' });
    expect(definition.States.SentimentStopped).toMatchObject({ Type: 'Fail', Error: 'Comprehend.JobFailed' });
    expect(job.outputUriPath).toBe('$.Sentiment.SentimentDetectionJobProperties.OutputDataConfig.S3Uri');
  });

  test('retries on Comprehend throttling and service errors', () => {
    for (const state of ['SentimentStart', 'SentimentDescribe']) {
      expect(definition.States[state].Retry).toEqual([
        { ErrorEquals: ['Comprehend.TooManyRequestsException', 'Comprehend.InternalServerException'], IntervalSeconds: 5, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' },
      ]);
    }
  });

  test('the state machine may start/describe sentiment jobs and pass only the data access role, to Comprehend only', () => {
    expect(job.policyStatements().map((st) => stack.resolve(st.toStatementJson()))).toEqual([
      {
        Action: ['comprehend:StartSentimentDetectionJob', 'comprehend:DescribeSentimentDetectionJob'],
        Effect: 'Allow',
        Resource: 'arn:aws:comprehend:us-east-1:123456789012:sentiment-detection-job/*',
      },
      { Action: 'iam:PassRole', Effect: 'Allow', Resource: stack.resolve(job.dataAccessRole.roleArn), Condition: { StringEquals: { 'iam:PassedToService': 'comprehend.amazonaws.com' } } },
    ]);
  });

  test('the data access role: trusted by Comprehend of this account for sentiment jobs; reads the input prefix, writes the output prefix, uses the keys', () => {
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'comprehend.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': 'arn:aws:comprehend:us-east-1:123456789012:sentiment-detection-job/*' },
            },
          },
        ],
      },
    });
    const viaS3 = { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } };
    expect(policyOf(stack, stack.resolve(job.dataAccessRole.roleName))).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(data.arnForObjects('notes/*')) },
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: stack.resolve(data.bucketArn), Condition: { StringLike: { 's3:prefix': ['notes/*'] } } },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: stack.resolve(data.arnForObjects('comprehend/*')) },
      // One key for input and output: IAM merges Decrypt (input) and GenerateDataKey (output).
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: stack.resolve(key.keyArn), Condition: viaS3 },
      { Action: 'kms:CreateGrant', Effect: 'Allow', Resource: stack.resolve(key.keyArn) },
    ]);
    expectLeastPrivilege(stack);
  });
});

describe('ComprehendAnalysisJob: options', () => {
  test('entities, one document per file, custom prefix, interval, name, no retries; an unencrypted bucket gets no keys', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Docs', { enforceSSL: true });
    const job = new ComprehendAnalysisJob(stack, 'Job', {
      analysis: ComprehendJobAnalysis.ENTITIES,
      languageCode: ComprehendLanguage.ENGLISH,
      inputBucket: bucket,
      inputKeyPrefix: 'in/',
      inputFormat: ComprehendInputFormat.ONE_DOC_PER_FILE,
      outputBucket: bucket,
      outputKeyPrefix: 'out/',
      pollInterval: Duration.minutes(5),
      stateName: 'Entities',
      retries: [],
    });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [job] });
    const definition = definitionOf(stack, wf);
    expect(definition.States.EntitiesStart).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:comprehend:startEntitiesDetectionJob',
      Parameters: {
        'JobName.$': "States.Format('{}-Entities', $$.Execution.Name)",
        DataAccessRoleArn: 'X',
        LanguageCode: 'en',
        InputDataConfig: { S3Uri: 's3://X/in/', InputFormat: 'ONE_DOC_PER_FILE' },
        OutputDataConfig: { S3Uri: 's3://X/out/' },
      },
      ResultSelector: { EntitiesDetectionJobProperties: { 'JobId.$': '$.JobId', 'JobArn.$': '$.JobArn', 'JobStatus.$': '$.JobStatus' } },
    });
    expect(definition.States.EntitiesStart.Parameters.VolumeKmsKeyId).toBeUndefined();
    expect(definition.States.EntitiesStart.Retry).toBeUndefined();
    expect(definition.States.EntitiesWait.Seconds).toBe(300);
    expect(definition.States.EntitiesDescribe.Resource).toBe('arn:aws:states:::aws-sdk:comprehend:describeEntitiesDetectionJob');
    expect(JSON.stringify(policyOf(stack, stack.resolve(job.dataAccessRole.roleName)))).not.toContain('kms:');
    expect(stack.resolve(job.policyStatements()[0].toStatementJson()).Resource).toBe('arn:aws:comprehend:us-east-1:123456789012:entities-detection-job/*');
  });

  test('in a VPC: VpcConfig with the private subnets and a new self-referencing group; ENI permissions limited to the VPC', () => {
    const app = testApp();
    const { stack, key, data } = setup(testStack(app));
    const network = new MlNetwork(stack, 'Network');
    const job = new ComprehendAnalysisJob(stack, 'Sentiment', {
      analysis: ComprehendJobAnalysis.SENTIMENT,
      languageCode: ComprehendLanguage.CHINESE_TRADITIONAL,
      inputBucket: data,
      inputKeyPrefix: 'notes/',
      outputBucket: data,
      vpc: network.vpc,
    });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
    const vpcConfig = definitionOf(stack, wf).States.SentimentStart.Parameters.VpcConfig;
    expect(vpcConfig).toEqual({ SecurityGroupIds: ['X'], Subnets: network.subnetIds.map(() => 'X') });
    expect(network.subnetIds.length).toBeGreaterThanOrEqual(2);
    expect(job.securityGroups).toHaveLength(1);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 0,
      ToPort: 65535,
      GroupId: stack.resolve(job.securityGroups[0].securityGroupId),
      SourceSecurityGroupId: stack.resolve(job.securityGroups[0].securityGroupId),
    });
    expect(policyOf(stack, stack.resolve(job.dataAccessRole.roleName))).toEqual(
      expect.arrayContaining([
        {
          Action: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
          Effect: 'Allow',
          Resource: '*',
          Condition: { ArnEquals: { 'ec2:Vpc': stack.resolve(stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: network.vpc.vpcId })) } },
        },
      ]),
    );
    expectNagClean(app);
    expectLeastPrivilege(stack, {
      allowManagedPolicies: [{ policyName: 'service-role/AWSLambdaBasicExecutionRole', pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider', reason: "aws-cdk-lib's default-SG provider (MlNetwork)" }],
    });
  });

  test('partition-aware ARNs (AWS GovCloud)', () => {
    const stack = testStack(testApp(), 'GovCloud', { env: { account: '123456789012', region: 'us-gov-west-1' } });
    const { key, data } = setup(stack);
    const job = new ComprehendAnalysisJob(stack, 'Sentiment', { analysis: ComprehendJobAnalysis.SENTIMENT, languageCode: ComprehendLanguage.ENGLISH, inputBucket: data, inputKeyPrefix: 'n/', outputBucket: data });
    const wf = new MlWorkflow(stack, 'Workflow', { states: [job], encryptionKey: key });
    expect(definitionOf(stack, wf).States.SentimentStart.Resource).toBe('arn:aws-us-gov:states:::aws-sdk:comprehend:startSentimentDetectionJob');
    expect(stack.resolve(job.policyStatements()[0].toStatementJson()).Resource).toBe('arn:aws-us-gov:comprehend:us-gov-west-1:123456789012:sentiment-detection-job/*');
  });

  test('tokens pass through unchecked', () => {
    const stack = testStack();
    const { data } = setup(stack);
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    expect(
      () => new ComprehendAnalysisJob(stack, 'Job', { analysis: ComprehendJobAnalysis.SENTIMENT, languageCode: ComprehendLanguage.ENGLISH, inputBucket: data, inputKeyPrefix: prefix, outputBucket: data, outputKeyPrefix: prefix }),
    ).not.toThrow();
  });
});

describe('ComprehendAnalysisJob: validation', () => {
  const make = (props: Partial<ConstructorParameters<typeof ComprehendAnalysisJob>[2]>) => {
    const { stack, data } = setup();
    return () => new ComprehendAnalysisJob(stack, 'Job', { analysis: ComprehendJobAnalysis.SENTIMENT, languageCode: ComprehendLanguage.ENGLISH, inputBucket: data, inputKeyPrefix: 'in/', outputBucket: data, ...props });
  };
  const vpcOf = () => {
    const stack = testStack();
    return new ec2.Vpc(stack, 'Vpc');
  };

  test('an unknown analysis', () => {
    expect(make({ analysis: 'TOPICS' as ComprehendJobAnalysis })).toThrow(/\[TestStack\/Job\] analysis "TOPICS" is not one of SENTIMENT, ENTITIES/);
  });
  test('an unknown language', () => {
    expect(make({ languageCode: 'xx' as ComprehendLanguage })).toThrow(/languageCode "xx" is not a ComprehendLanguage/);
  });
  test('an empty input prefix (the whole bucket)', () => {
    expect(make({ inputKeyPrefix: '' })).toThrow(/inputKeyPrefix "" must be a non-empty key prefix/);
  });
  test('an output prefix with a wildcard', () => {
    expect(make({ outputKeyPrefix: 'out/*' })).toThrow(/outputKeyPrefix "out\/\*" must be a non-empty key prefix without "\*"/);
  });
  test('subnets or security groups without a VPC', () => {
    expect(make({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toThrow(/vpcSubnets or securityGroups is set without vpc/);
  });
  test('more than five security groups', () => {
    const vpc = vpcOf();
    const groups = [1, 2, 3, 4, 5, 6].map((i) => new ec2.SecurityGroup(vpc, `G${i}`, { vpc }));
    const { data } = setup(vpc.stack);
    expect(
      () => new ComprehendAnalysisJob(vpc.stack, 'Job', { analysis: ComprehendJobAnalysis.SENTIMENT, languageCode: ComprehendLanguage.ENGLISH, inputBucket: data, inputKeyPrefix: 'in/', outputBucket: data, vpc, securityGroups: groups }),
    ).toThrow(/securityGroups has 6 groups, but Comprehend takes 1 to 5/);
  });
  test('a state name that is not letters and digits', () => {
    expect(make({ stateName: 'Sentiment Job' })).toThrow(/state name "Sentiment Job" must be 1-71 letters and digits/);
  });
  test('a poll interval of zero', () => {
    expect(make({ pollInterval: Duration.seconds(0) })).toThrow(/pollInterval is 0 seconds, but a Wait state waits a whole number of seconds/);
  });
  test('an invalid retry', () => {
    expect(make({ retries: [new JobRetry({ errors: ComprehendAnalysisJob.RETRYABLE_ERRORS, maxAttempts: -1 })] })).toThrow(/retry maxAttempts is -1/);
  });
  test('a region without Comprehend (China)', () => {
    const stack = testStack(testApp(), 'China', { env: { account: '123456789012', region: 'cn-northwest-1' } });
    const { data } = setup(stack);
    expect(
      () => new ComprehendAnalysisJob(stack, 'Job', { analysis: ComprehendJobAnalysis.SENTIMENT, languageCode: ComprehendLanguage.CHINESE_SIMPLIFIED, inputBucket: data, inputKeyPrefix: 'in/', outputBucket: data }),
    ).toThrow(/\[China\/Job\] Amazon Comprehend has no endpoint in cn-northwest-1/);
  });
});
