import { Duration, Stack, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FrontFeature, InferenceApi, InferenceFront, InferenceFrontProps } from '../../../lib/constructs/hosting';
import { MlNetwork } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { referenceEndpoint } from './fixtures';

const FEATURES = [
  FrontFeature.numeric('age', { min: 18, max: 100 }),
  FrontFeature.numeric('annual_income', { min: 0 }),
  FrontFeature.oneHot('home_ownership', ['MORTGAGE', 'OWN', 'RENT']),
];

function front(stack: Stack, overrides: Partial<InferenceFrontProps> = {}) {
  const { endpoint, key } = referenceEndpoint(stack);
  const result = new InferenceFront(stack, 'Front', { endpoint, features: FEATURES, ...overrides });
  return { endpoint, key, front: result };
}

/** The statements of every customer-managed policy of the stack. */
function policyStatements(stack: Stack): Array<{ Action: string | string[]; Resource: unknown }> {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies).flatMap((p) => (p as any).Properties.PolicyDocument.Statement);
}

describe('InferenceFront', () => {
  test('a Node.js function with the feature schema, threshold and labels in a KMS-encrypted environment, traced, logging to an encrypted group', () => {
    const stack = testStack();
    const { endpoint } = front(stack, { threshold: 0.3, positiveLabel: 'default', negativeLabel: 'repaid' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'inference-front.handler',
      Timeout: 29,
      KmsKeyArn: Match.anyValue(),
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Environment: {
        Variables: {
          ENDPOINT_NAME: stack.resolve(endpoint.endpointName),
          FEATURES: JSON.stringify([
            { name: 'age', kind: 'numeric', min: 18, max: 100 },
            { name: 'annual_income', kind: 'numeric', min: 0 },
            { name: 'home_ownership', kind: 'oneHot', categories: ['MORTGAGE', 'OWN', 'RENT'] },
          ]),
          THRESHOLD: '0.3',
          POSITIVE_LABEL: 'default',
          NEGATIVE_LABEL: 'repaid',
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.anyValue() }, 0);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { VpcConfig: Match.anyValue() }, 0);
  });

  test('defaults: threshold 0.5, labels "positive" and "negative"', () => {
    const stack = testStack();
    front(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ THRESHOLD: '0.5', POSITIVE_LABEL: 'positive', NEGATIVE_LABEL: 'negative' }) },
    });
  });

  test('the role may call InvokeEndpoint on exactly this endpoint (not the async or streaming actions) and write its own log group', () => {
    const stack = testStack();
    const { endpoint, front: f } = front(stack);
    const statements = policyStatements(stack);
    const sagemaker = statements.filter((s) => JSON.stringify(s.Action).includes('sagemaker:'));
    expect(sagemaker).toEqual([expect.objectContaining({ Action: 'sagemaker:InvokeEndpoint', Resource: stack.resolve(endpoint.endpointArn) })]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: stack.resolve(f.logGroup.logGroupArn) }),
    );
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the feature columns are named as pandas.get_dummies names them', () => {
    expect(FEATURES.flatMap((f) => f.columns)).toEqual(['age', 'annual_income', 'home_ownership_MORTGAGE', 'home_ownership_OWN', 'home_ownership_RENT']);
  });

  test('reservedConcurrency and timeout are passed to the function', () => {
    const stack = testStack();
    front(stack, { reservedConcurrency: 20, timeout: Duration.seconds(10) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 20, Timeout: 10 });
  });

  test('in a VPC: private isolated subnets and a security group allowing HTTPS to the VPC only', () => {
    const stack = testStack();
    const { endpoint, key } = referenceEndpoint(stack);
    const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
    new InferenceFront(stack, 'Front', { endpoint, features: FEATURES, vpc: network.vpc });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() } });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Inference front: HTTPS to the SageMaker runtime endpoint',
      SecurityGroupEgress: [Match.objectLike({ FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
  });

  test('a token threshold passes through unchecked', () => {
    const stack = testStack();
    expect(() => front(stack, { threshold: Token.asNumber({ Ref: 'Threshold' }) })).not.toThrow();
  });
});

describe('InferenceFront validation', () => {
  const attempt = (overrides: Partial<InferenceFrontProps>) => () => front(testStack(), overrides);

  test('rejects an empty feature list', () => {
    expect(attempt({ features: [] })).toThrow(/\[TestStack\/Front\] features is empty; list the model's input features/);
  });

  test('rejects a feature listed twice', () => {
    expect(attempt({ features: [FrontFeature.numeric('age'), FrontFeature.numeric('age')] })).toThrow(/feature "age" is listed twice/);
  });

  test('rejects a feature without a name', () => {
    expect(attempt({ features: [FrontFeature.numeric(' ')] })).toThrow(/a feature has an empty name/);
  });

  test('rejects a one-hot feature without categories', () => {
    expect(attempt({ features: [FrontFeature.oneHot('purpose', [])] })).toThrow(/one-hot feature "purpose" has no category/);
  });

  test('rejects a category listed twice', () => {
    expect(attempt({ features: [FrontFeature.oneHot('purpose', ['car', 'car'])] })).toThrow(/one-hot feature "purpose" lists "car" more than once/);
  });

  test('rejects a threshold outside 0..1', () => {
    expect(attempt({ threshold: 1.5 })).toThrow(/threshold is 1.5, but must be between 0 and 1/);
    expect(attempt({ threshold: -0.1 })).toThrow(/threshold is -0.1, but must be between 0 and 1/);
  });

  test('rejects min above max', () => {
    expect(attempt({ features: [FrontFeature.numeric('age', { min: 100, max: 18 })] })).toThrow(/numeric feature "age" has min 100 above max 18; swap them/);
  });

  test('rejects a reserved concurrency of 0 or a fraction', () => {
    expect(attempt({ reservedConcurrency: 0 })).toThrow(/reservedConcurrency is 0, but must be a whole number of at least 1/);
    expect(attempt({ reservedConcurrency: 2.5 })).toThrow(/reservedConcurrency is 2.5, but must be a whole number/);
  });

  test('rejects subnets or security groups without a vpc', () => {
    expect(attempt({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toThrow(/vpcSubnets and securityGroups need vpc/);
  });

  test("rejects a feature list larger than Lambda's 4 KB of environment", () => {
    const categories = Array.from({ length: 400 }, (_, i) => `category-${i}`);
    expect(attempt({ features: [FrontFeature.oneHot('merchant', categories)] })).toThrow(/needs \d+ bytes of environment variables, but Lambda allows 4096/);
  });

  test('lists every problem in one message', () => {
    expect(attempt({ threshold: 2, features: [FrontFeature.numeric('a'), FrontFeature.numeric('a')] })).toThrow(/2 problems:\n.*listed twice.*\n.*threshold is 2/);
  });
});

describe('InferenceFront under the nag packs and the IAM check', () => {
  test('the defaults are clean, alone and behind an InferenceApi', () => {
    const app = testApp();
    const stack = testStack(app);
    const { endpoint, front: f } = front(stack);
    new InferenceApi(stack, 'Api', { endpoint, handler: f.function });
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });

  test('in a VPC with the network\'s handlers security group and reserved concurrency it is clean', () => {
    const app = testApp();
    const stack = testStack(app);
    const { endpoint, key } = referenceEndpoint(stack);
    const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
    new InferenceFront(stack, 'Front', {
      endpoint,
      features: FEATURES,
      vpc: network.vpc,
      securityGroups: [network.handlersSecurityGroup],
      reservedConcurrency: 5,
      encryptionKey: key,
    });
    expectNagClean(app);
    expectLeastPrivilege(stack, {
      allowManagedPolicies: [
        {
          policyName: 'service-role/AWSLambdaBasicExecutionRole',
          pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider',
          reason: "the network's aws-cdk-lib provider that empties the default security group, not the front",
        },
      ],
    });
  });
});
