/**
 * Resolves CloudFormation intrinsic functions in template values the way CloudFormation would at
 * deploy time, against a pretend local account: resources get deterministic local physical ids
 * and ARNs, cross-stack values (`Fn::GetStackOutput`, `Fn::ImportValue`) come from the other
 * stacks of the same cloud assembly.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { createHash } from 'crypto';
import { type AssemblyStack, type CfnResource, type CfnTemplate, CloudAssembly } from './assembly';

/** The pretend AWS environment the runner resolves templates in. */
export interface LocalEnvironment {
  /** @default '123456789012' */
  readonly account?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /**
   * The attributes of custom resources (`Custom::*`), which only their handler knows: called with
   * the resource type, its resolved properties and the attribute; `undefined` falls back to a
   * stable stand-in. The runner answers `Custom::ModelPackageVersion` from the local registry.
   * @default - stand-ins for every custom resource attribute
   */
  readonly customResourceAttribute?: (resourceType: string, properties: Record<string, unknown>, attribute: string, where: string) => unknown;
}

/** The default local account. */
export const DEFAULT_LOCAL_ACCOUNT = '123456789012';
/** The default local region. */
export const DEFAULT_LOCAL_REGION = 'us-east-1';

/** Marks a value removed by `AWS::NoValue`. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Resource types whose `Ref` is the ARN rather than the name. */
const REF_IS_ARN = new Set([
  'AWS::IAM::ManagedPolicy',
  'AWS::SNS::Topic',
  'AWS::StepFunctions::StateMachine',
  'AWS::SageMaker::Model',
  'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::EndpointConfig',
  'AWS::SageMaker::ModelPackageGroup',
  'AWS::SageMaker::NotebookInstanceLifecycleConfig',
  'AWS::SageMaker::MonitoringSchedule',
  'AWS::SageMaker::Domain',
  'AWS::SageMaker::UserProfile',
  'AWS::SageMaker::FeatureGroup',
  'AWS::SageMaker::ModelPackage',
  'AWS::Scheduler::Schedule',
]);

/** Properties that name a resource (CloudFormation then uses them as the physical id). */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::SageMaker::Pipeline': 'PipelineName',
  'AWS::SageMaker::Model': 'ModelName',
  'AWS::SageMaker::Endpoint': 'EndpointName',
  'AWS::SageMaker::EndpointConfig': 'EndpointConfigName',
  'AWS::SageMaker::ModelPackageGroup': 'ModelPackageGroupName',
  'AWS::SageMaker::FeatureGroup': 'FeatureGroupName',
  'AWS::SageMaker::Domain': 'DomainName',
  'AWS::SageMaker::MonitoringSchedule': 'MonitoringScheduleName',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::KMS::Alias': 'AliasName',
};

/**
 * Resolves the templates of one cloud assembly. Keep one per run: resolved outputs are cached,
 * and `Fn::GetStackOutput` chains are followed (and cycles reported).
 */
export class AssemblyResolver {
  /** The account ARNs and asset buckets use. */
  public readonly account: string;
  /** The region. */
  public readonly region: string;
  /** Always `aws` locally. */
  public readonly partition = 'aws';
  /** Always `amazonaws.com` locally. */
  public readonly urlSuffix = 'amazonaws.com';
  /** See {@link LocalEnvironment.customResourceAttribute}. */
  public readonly customResourceAttribute?: LocalEnvironment['customResourceAttribute'];
  private readonly resolvers = new Map<string, StackResolver>();

  /**
   * @param assembly the cloud assembly whose stacks may refer to each other
   * @param env the pretend account and region
   */
  constructor(public readonly assembly: CloudAssembly, env: LocalEnvironment = {}) {
    this.account = env.account ?? DEFAULT_LOCAL_ACCOUNT;
    this.region = env.region ?? DEFAULT_LOCAL_REGION;
    this.customResourceAttribute = env.customResourceAttribute;
    if (!/^\d{12}$/.test(this.account)) throw new Error(`The local account "${this.account}" must be 12 digits.`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(this.region)) throw new Error(`The local region "${this.region}" is not a region name such as us-east-1.`);
  }

  /** The resolver of one stack (by artifact id or stack name). */
  public forStack(stack: AssemblyStack | string): StackResolver {
    const artifact = typeof stack === 'string' ? this.assembly.stack(stack) : stack;
    let resolver = this.resolvers.get(artifact.id);
    if (!resolver) {
      resolver = new StackResolver(this, artifact);
      this.resolvers.set(artifact.id, resolver);
    }
    return resolver;
  }

  /**
   * Replaces `${AWS::AccountId}`, `${AWS::Region}`, `${AWS::Partition}` and `${AWS::URLSuffix}`
   * in an asset manifest's bucket name or object key.
   */
  public substitutePlaceholders(text: string): string {
    return text
      .replace(/\$\{AWS::AccountId\}/g, this.account)
      .replace(/\$\{AWS::Region\}/g, this.region)
      .replace(/\$\{AWS::Partition\}/g, this.partition)
      .replace(/\$\{AWS::URLSuffix\}/g, this.urlSuffix);
  }

  /** The value of an `Export` named `name` in any stack of the assembly. */
  public importValue(name: string, where: string): unknown {
    for (const stack of this.assembly.stacks) {
      const resolver = this.forStack(stack);
      for (const [outputName, output] of Object.entries(resolver.template.Outputs ?? {})) {
        if (output.Export === undefined) continue;
        const exportName = resolver.resolve(output.Export.Name, `${stack.id}/Outputs/${outputName}/Export/Name`);
        if (exportName === name) return resolver.output(outputName);
      }
    }
    throw new Error(`${where}: Fn::ImportValue "${name}": no stack of the cloud assembly exports that name.`);
  }
}

/** Resolves the values of one stack's template. */
export class StackResolver {
  /** The template. */
  public readonly template: CfnTemplate;
  private readonly outputs = new Map<string, unknown>();
  private readonly resolvingOutputs = new Set<string>();

  /** Use {@link AssemblyResolver.forStack}. */
  constructor(
    private readonly parent: AssemblyResolver,
    /** The stack. */
    public readonly stack: AssemblyStack,
  ) {
    this.template = parent.assembly.template(stack);
  }

  /** The resources of the template. */
  public get resources(): Record<string, CfnResource> {
    return this.template.Resources ?? {};
  }

  /**
   * Resolves every intrinsic function in `value`.
   *
   * @param value a template fragment
   * @param where the fragment's path in the template, for messages (e.g. `Resources/Pipeline/Properties`)
   * @throws an error naming the function and the path for anything that cannot be resolved locally
   */
  public resolve(value: unknown, where: string): unknown {
    const resolved = this.resolveValue(value, where);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** Resolves a value that must be a string. */
  public resolveString(value: unknown, where: string): string {
    const resolved = this.resolve(value, where);
    if (typeof resolved !== 'string') throw new Error(`${where}: expected a string, got ${JSON.stringify(resolved)}.`);
    return resolved;
  }

  /** The resolved value of one of the stack's Outputs. */
  public output(name: string): unknown {
    if (this.outputs.has(name)) return this.outputs.get(name);
    const output = this.template.Outputs?.[name];
    if (!output) {
      const names = Object.keys(this.template.Outputs ?? {});
      throw new Error(`Stack ${this.stack.stackName} has no output "${name}". Its outputs: ${names.join(', ') || 'none'}.`);
    }
    if (this.resolvingOutputs.has(name)) throw new Error(`Output "${name}" of stack ${this.stack.stackName} refers to itself (through other stacks' outputs).`);
    this.resolvingOutputs.add(name);
    try {
      const value = this.resolve(output.Value, `${this.stack.id}/Outputs/${name}/Value`);
      this.outputs.set(name, value);
      return value;
    } finally {
      this.resolvingOutputs.delete(name);
    }
  }

  /**
   * The local physical id of a resource: its name property when it has one, else
   * `<stackname>-<logicalid>` lower-cased for buckets (valid bucket characters, at most 63) and
   * `<StackName>-<LogicalId>` for everything else.
   */
  public physicalId(logicalId: string): string {
    const resource = this.requireResource(logicalId, 'Ref');
    const nameProperty = NAME_PROPERTIES[resource.Type];
    const given = nameProperty ? resource.Properties?.[nameProperty] : undefined;
    if (given !== undefined) return this.resolveString(given, `${this.stack.id}/Resources/${logicalId}/Properties/${nameProperty}`);
    if (resource.Type === 'AWS::S3::Bucket') {
      const name = `${this.stack.stackName}-${logicalId}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63).replace(/[.-]+$/, '');
      return name;
    }
    return `${this.stack.stackName}-${logicalId}`;
  }

  /** What `Ref` of a resource, parameter or pseudo parameter returns. */
  public ref(name: string, where: string): unknown {
    const env = this.parent;
    switch (name) {
      case 'AWS::AccountId': return env.account;
      case 'AWS::Region': return env.region;
      case 'AWS::Partition': return env.partition;
      case 'AWS::URLSuffix': return env.urlSuffix;
      case 'AWS::StackName': return this.stack.stackName;
      case 'AWS::StackId': return `arn:${env.partition}:cloudformation:${env.region}:${env.account}:stack/${this.stack.stackName}/${uuid(this.stack.stackName)}`;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
      default: break;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) {
        throw new Error(`${where}: Ref to parameter "${name}", which has no Default; the local runner cannot ask for parameter values.`);
      }
      return parameter.Default;
    }
    const resource = this.resources[name];
    if (!resource) {
      throw new Error(`${where}: Ref "${name}" is neither a pseudo parameter, a parameter nor a resource of stack ${this.stack.stackName}.`);
    }
    if (REF_IS_ARN.has(resource.Type)) return this.arn(name, resource);
    return this.refValue(name, resource);
  }

  /** What `Fn::GetAtt` of a resource attribute returns locally. */
  public getAtt(logicalId: string, attribute: string, where: string): unknown {
    const resource = this.requireResource(logicalId, `${where}: Fn::GetAtt`);
    const id = this.physicalId(logicalId);
    const env = this.parent;
    if (resource.Type.startsWith('Custom::') && env.customResourceAttribute) {
      const properties = this.resolve(resource.Properties ?? {}, `${this.stack.id}/Resources/${logicalId}/Properties`) as Record<string, unknown>;
      const value = env.customResourceAttribute(resource.Type, properties, attribute, `${where}: Fn::GetAtt ${logicalId}.${attribute}`);
      if (value !== undefined) return value;
    }
    switch (attribute) {
      case 'Arn':
        return this.arn(logicalId, resource);
      case 'RoleId':
        return `AROA${hex(`${this.stack.stackName}/${logicalId}`, 17).toUpperCase()}`;
      case 'PolicyId':
        return `ANPA${hex(`${this.stack.stackName}/${logicalId}`, 17).toUpperCase()}`;
      case 'KeyId':
        return uuid(`${this.stack.stackName}/${logicalId}`);
      case 'DomainName':
        if (resource.Type === 'AWS::S3::Bucket') return `${id}.s3.${env.urlSuffix}`;
        break;
      case 'RegionalDomainName':
        if (resource.Type === 'AWS::S3::Bucket') return `${id}.s3.${env.region}.${env.urlSuffix}`;
        break;
      case 'WebsiteURL':
        return `http://${id}.s3-website-${env.region}.${env.urlSuffix}`;
      case 'GroupId':
        return this.refValue(logicalId, resource);
      case 'VpcId':
        return resource.Type === 'AWS::EC2::SecurityGroup' && resource.Properties?.VpcId !== undefined
          ? this.resolve(resource.Properties.VpcId, `${this.stack.id}/Resources/${logicalId}/Properties/VpcId`)
          : this.refValue(logicalId, resource);
      case 'DomainId':
        return `d-${hex(`${this.stack.stackName}/${logicalId}`, 12)}`;
      case 'Url':
        return `https://${hex(`${this.stack.stackName}/${logicalId}`, 10)}.execute-api.${env.region}.${env.urlSuffix}/`;
      default:
        break;
    }
    if (/Arn$/.test(attribute)) return this.arn(logicalId, resource);
    if (/Name$/.test(attribute)) return id;
    if (/Id$/.test(attribute)) return this.refValue(logicalId, resource);
    const property = resource.Properties?.[attribute];
    if (property !== undefined) return this.resolve(property, `${this.stack.id}/Resources/${logicalId}/Properties/${attribute}`);
    // An attribute only the service knows (a timestamp, a version): a stable stand-in.
    return `${id}-${attribute}`;
  }

  private refValue(logicalId: string, resource: CfnResource): string {
    const identity = `${this.stack.stackName}/${logicalId}`;
    switch (resource.Type) {
      case 'AWS::EC2::VPC': return `vpc-${hex(identity, 17)}`;
      case 'AWS::EC2::Subnet': return `subnet-${hex(identity, 17)}`;
      case 'AWS::EC2::SecurityGroup': return `sg-${hex(identity, 17)}`;
      case 'AWS::EC2::RouteTable': return `rtb-${hex(identity, 17)}`;
      case 'AWS::EC2::VPCEndpoint': return `vpce-${hex(identity, 17)}`;
      case 'AWS::KMS::Key': return uuid(identity);
      default: return this.physicalId(logicalId);
    }
  }

  private arn(logicalId: string, resource: CfnResource): string {
    const { partition, region, account } = this.parent;
    const id = this.physicalId(logicalId);
    const lower = id.toLowerCase();
    const prefix = (service: string, withRegion = true, withAccount = true): string =>
      `arn:${partition}:${service}:${withRegion ? region : ''}:${withAccount ? account : ''}:`;
    switch (resource.Type) {
      case 'AWS::S3::Bucket': return `arn:${partition}:s3:::${id}`;
      case 'AWS::IAM::Role': return `${prefix('iam', false)}role/${id}`;
      case 'AWS::IAM::ManagedPolicy': return `${prefix('iam', false)}policy/${id}`;
      case 'AWS::IAM::User': return `${prefix('iam', false)}user/${id}`;
      case 'AWS::KMS::Key': return `${prefix('kms')}key/${uuid(`${this.stack.stackName}/${logicalId}`)}`;
      case 'AWS::KMS::Alias': return `${prefix('kms')}${id}`;
      case 'AWS::SNS::Topic': return `${prefix('sns')}${id}`;
      case 'AWS::SQS::Queue': return `${prefix('sqs')}${id}`;
      case 'AWS::Lambda::Function': return `${prefix('lambda')}function:${id}`;
      case 'AWS::Logs::LogGroup': return `${prefix('logs')}log-group:${id}:*`;
      case 'AWS::StepFunctions::StateMachine': return `${prefix('states')}stateMachine:${id}`;
      case 'AWS::Events::Rule': return `${prefix('events')}rule/${id}`;
      case 'AWS::Scheduler::Schedule': return `${prefix('scheduler')}schedule/default/${id}`;
      case 'AWS::EC2::SecurityGroup': return `${prefix('ec2')}security-group/${this.refValue(logicalId, resource)}`;
      case 'AWS::EC2::Subnet': return `${prefix('ec2')}subnet/${this.refValue(logicalId, resource)}`;
      case 'AWS::EC2::VPC': return `${prefix('ec2')}vpc/${this.refValue(logicalId, resource)}`;
      default: break;
    }
    if (resource.Type.startsWith('AWS::SageMaker::')) {
      const kind = resource.Type.slice('AWS::SageMaker::'.length).replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
      const name = resource.Type === 'AWS::SageMaker::Domain' ? `d-${hex(`${this.stack.stackName}/${logicalId}`, 12)}` : lower;
      return `${prefix('sagemaker')}${kind}/${name}`;
    }
    const [, service = 'unknown', kind = 'resource'] = resource.Type.split('::');
    return `${prefix(service.toLowerCase())}${kind.toLowerCase()}/${id}`;
  }

  private requireResource(logicalId: string, what: string): CfnResource {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`${what} "${logicalId}": stack ${this.stack.stackName} has no such resource.`);
    return resource;
  }

  private resolveValue(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, i) => this.resolveValue(item, `${where}/${i}`)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(keys[0], record[keys[0]], `${where}/${keys[0]}`);
    }
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = this.resolveValue(record[key], `${where}/${key}`);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private intrinsic(name: string, args: unknown, where: string): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(this.stringArg(args, name, where), where);
      case 'Condition':
        return this.condition(this.stringArg(args, name, where), where);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof args === 'string' ? splitOnce(args, '.') : this.listArg(args, name, where, 2).map((a, i) => this.resolveString(a, `${where}/${i}`));
        return this.getAtt(logicalId, attribute, where);
      }
      case 'Fn::Join': {
        const [delimiter, list] = this.listArg(args, name, where, 2);
        const items = this.resolveValue(list, `${where}/1`);
        if (!Array.isArray(items)) throw new Error(`${where}: Fn::Join needs a list to join, got ${JSON.stringify(items)}.`);
        return items.map((item, i) => this.scalar(item, `${where}/1/${i}`)).join(this.resolveString(delimiter, `${where}/0`));
      }
      case 'Fn::Sub':
        return this.sub(args, where);
      case 'Fn::FindInMap': {
        const [map, top, second] = this.listArg(args, name, where, 3).map((a, i) => this.resolveString(a, `${where}/${i}`));
        const mapping = this.template.Mappings?.[map];
        if (!mapping) throw new Error(`${where}: Fn::FindInMap: the template has no mapping "${map}".`);
        const entry = mapping[top]?.[second];
        if (entry === undefined) {
          throw new Error(`${where}: Fn::FindInMap: mapping "${map}" has no "${top}"."${second}"${mapping[top] ? '' : ` (keys: ${Object.keys(mapping).join(', ')})`}.`);
        }
        return entry;
      }
      case 'Fn::Select': {
        const [index, list] = this.listArg(args, name, where, 2);
        const i = Number(this.resolve(index, `${where}/0`));
        const items = this.resolve(list, `${where}/1`);
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          throw new Error(`${where}: Fn::Select index ${i} is outside the list ${JSON.stringify(items)}.`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, text] = this.listArg(args, name, where, 2);
        return this.resolveString(text, `${where}/1`).split(this.resolveString(delimiter, `${where}/0`));
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.listArg(args, name, where, 3);
        const outcome = this.condition(this.resolveString(condition, `${where}/0`), `${where}/0`);
        return outcome ? this.resolveValue(whenTrue, `${where}/1`) : this.resolveValue(whenFalse, `${where}/2`);
      }
      case 'Fn::Equals': {
        const [a, b] = this.listArg(args, name, where, 2);
        return JSON.stringify(this.resolve(a, `${where}/0`)) === JSON.stringify(this.resolve(b, `${where}/1`));
      }
      case 'Fn::Not': {
        const [a] = this.listArg(args, name, where, 1);
        return !this.booleanValue(a, `${where}/0`);
      }
      case 'Fn::And':
        return this.listArg(args, name, where).every((a, i) => this.booleanValue(a, `${where}/${i}`));
      case 'Fn::Or':
        return this.listArg(args, name, where).some((a, i) => this.booleanValue(a, `${where}/${i}`));
      case 'Fn::Contains': {
        const [list, item] = this.listArg(args, name, where, 2);
        const items = this.resolve(list, `${where}/0`);
        return Array.isArray(items) && items.includes(this.resolve(item, `${where}/1`));
      }
      case 'Fn::Base64':
        return Buffer.from(this.resolveString(args, where)).toString('base64');
      case 'Fn::GetAZs': {
        const region = this.resolve(args, where);
        const r = typeof region === 'string' && region !== '' ? region : this.parent.region;
        return [`${r}a`, `${r}b`, `${r}c`];
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(args, where));
      case 'Fn::GetStackOutput': {
        const spec = this.resolve(args, where) as { StackName?: unknown; OutputName?: unknown; Region?: unknown } | undefined;
        if (!spec || typeof spec.StackName !== 'string' || typeof spec.OutputName !== 'string') {
          throw new Error(`${where}: Fn::GetStackOutput needs StackName and OutputName, got ${JSON.stringify(spec)}.`);
        }
        if (spec.Region !== undefined && spec.Region !== this.parent.region) {
          throw new Error(`${where}: Fn::GetStackOutput reads stack ${spec.StackName} in ${String(spec.Region)}, but the local run is in ${this.parent.region}.`);
        }
        const other = this.parent.assembly.stackByName(spec.StackName);
        if (!other) {
          throw new Error(`${where}: Fn::GetStackOutput: stack "${spec.StackName}" is not in the cloud assembly (stacks: ${this.parent.assembly.stacks.map((s) => s.stackName).join(', ')}).`);
        }
        return this.parent.forStack(other).output(spec.OutputName);
      }
      case 'Fn::ImportValue':
        return this.parent.importValue(this.resolveString(args, where), where);
      default:
        throw new Error(`${where}: the intrinsic function ${name} is not supported by the local runner.`);
    }
  }

  private condition(name: string, where: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`${where}: the template has no condition "${name}".`);
    return this.booleanValue(definition, `Conditions/${name}`);
  }

  private booleanValue(value: unknown, where: string): boolean {
    const resolved = this.resolve(value, where);
    if (typeof resolved === 'boolean') return resolved;
    if (resolved === 'true' || resolved === 'false') return resolved === 'true';
    throw new Error(`${where}: expected a condition (true or false), got ${JSON.stringify(resolved)}.`);
  }

  private sub(args: unknown, where: string): string {
    let template: unknown = args;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(args)) {
      if (args.length !== 2) throw new Error(`${where}: Fn::Sub takes a string or [string, {variables}].`);
      template = args[0];
      const vars = this.resolve(args[1], `${where}/1`);
      if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) throw new Error(`${where}: Fn::Sub variables must be an object.`);
      variables = vars as Record<string, unknown>;
    }
    if (typeof template !== 'string') throw new Error(`${where}: Fn::Sub needs a string template, got ${JSON.stringify(template)}.`);
    return template.replace(/\$\{(!?)([^}]*)\}/g, (match, bang: string, expression: string) => {
      if (bang) return `\${${expression}}`;
      const name = expression.trim();
      if (name in variables) return this.scalar(variables[name], `${where}/\${${name}}`);
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [logicalId, attribute] = splitOnce(name, '.');
        return this.scalar(this.getAtt(logicalId, attribute, `${where}/\${${name}}`), `${where}/\${${name}}`);
      }
      return this.scalar(this.ref(name, `${where}/\${${name}}`), `${where}/${match}`);
    });
  }

  private scalar(value: unknown, where: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}.`);
  }

  private stringArg(args: unknown, name: string, where: string): string {
    if (typeof args !== 'string') throw new Error(`${where}: ${name} needs a string, got ${JSON.stringify(args)}.`);
    return args;
  }

  private listArg(args: unknown, name: string, where: string, length?: number): unknown[] {
    if (!Array.isArray(args) || (length !== undefined && args.length !== length)) {
      throw new Error(`${where}: ${name} needs a list${length ? ` of ${length}` : ''}, got ${JSON.stringify(args)}.`);
    }
    return args;
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

function hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function uuid(text: string): string {
  const h = hex(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
