import { createHash } from 'crypto';
import {
  Annotations,
  ArnFormat,
  Duration,
  IResource,
  Resource,
  Size,
  Stack,
  Token,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_kms as kms,
  aws_sagemaker as sagemaker,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isConcrete, rangeProblem, throwIfProblems } from '../../private/errors';
import { pathBasedName } from '../../private/names';
import { InstanceType } from '../core/instance-type';
import { MlKey } from '../security/ml-key';
import { MlNetwork } from '../security/ml-network';
import { SageMakerExecutionRole } from '../security/execution-role';
import { INotebookLifecycleConfig, NotebookLifecycleConfig } from './notebook-lifecycle-config';
import { NotebookPlatform } from './notebook-platform';

/**
 * A SageMaker notebook instance.
 */
export interface INotebookInstance extends IResource {
  /** The notebook instance's name. @attribute */
  readonly notebookInstanceName: string;
  /** The notebook instance's ARN. @attribute */
  readonly notebookInstanceArn: string;
  /** Lets `grantee` open the notebook's Jupyter UI (`CreatePresignedNotebookInstanceUrl`). */
  grantCreatePresignedUrl(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Properties of a {@link NotebookInstance}.
 */
export interface NotebookInstanceProps {
  /**
   * The private network the instance runs in: its first workload subnet and its workload
   * security group.
   */
  readonly network: MlNetwork;

  /**
   * The subnet of the instance's network interface.
   * @default - the first of `network`'s workload subnets
   */
  readonly subnet?: ec2.ISubnet;

  /**
   * Security groups of the instance's network interface (at most 5).
   * @default - `network.developmentSecurityGroup`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The ML compute instance type.
   * @default InstanceType.ML_T3_MEDIUM
   */
  readonly instanceType?: InstanceType;

  /**
   * The size of the ML storage volume attached to the instance, 5 GiB to 16 TiB.
   * @default Size.gibibytes(50)
   */
  readonly volumeSize?: Size;

  /**
   * The key that encrypts the storage volume. SageMaker rejects a volume key on instance
   * types with local NVMe storage, so none is set (and none may be given) for those.
   * @default - a new `MlKey`, except on NVMe instance types
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Give the instance direct internet access through SageMaker's network. Data can then leave
   * your VPC: the construct adds the warning `sagemaker-cdk-constructs:notebookDirectInternetAccess`,
   * and synth fails until you acknowledge it with
   * `Annotations.of(notebook).acknowledgeWarning(id, reason)`.
   * @default false
   */
  readonly directInternetAccess?: boolean;

  /**
   * Give notebook users root access on the instance.
   * @default false
   */
  readonly rootAccess?: boolean;

  /**
   * The operating system and JupyterLab version.
   * @default NotebookPlatform.AL2023_V1
   */
  readonly platform?: NotebookPlatform;

  /**
   * The default Git repository: the URL of a repository or the name of an
   * `AWS::SageMaker::CodeRepository`. Without internet access, only repositories reachable from
   * the VPC (for example CodeCommit through an interface endpoint) can be cloned.
   * @default - none
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-git-repo.html
   */
  readonly defaultCodeRepository?: string;

  /**
   * Up to three more Git repositories, cloned beside the default one.
   * @default - none
   */
  readonly additionalCodeRepositories?: string[];

  /**
   * The role the instance runs as. A given role gets the grants the instance needs (logs,
   * volume key, network interfaces, stopping itself when idle) if it is a mutable role.
   * @default - a new `SageMakerExecutionRole` with only those grants
   */
  readonly role?: iam.IRole;

  /**
   * Lifecycle scripts. Replaces the default configuration entirely (including its idle check).
   * @default - a new `NotebookLifecycleConfig` built from `idleTimeout`, `autoStopWhenIdle`,
   * `onCreateScript` and `onStartScript` (none when there is neither an idle check nor a script)
   */
  readonly lifecycleConfig?: INotebookLifecycleConfig;

  /**
   * Stop the instance after it has been idle this long (whole minutes, 5 to 1440).
   * @default Duration.minutes(60)
   */
  readonly idleTimeout?: Duration;

  /**
   * Install the idle auto-stop check.
   * @default true
   */
  readonly autoStopWhenIdle?: boolean;

  /**
   * A shell script run once when the instance is created.
   * @default - none
   */
  readonly onCreateScript?: string;

  /**
   * A shell script run each time the instance starts.
   * @default - none
   */
  readonly onStartScript?: string;

  /**
   * A fixed name for the instance. CloudFormation replaces the instance when the subnet,
   * security groups, key or internet access change, and a fixed name blocks replacement, so
   * leave it unset unless people need a stable name in the console.
   * @default - a stable lower-case name generated from the stack name and the construct path
   * (so the instance's ARN is known without a reference to the resource)
   */
  readonly notebookInstanceName?: string;
}

/**
 * `arn:<partition>:sagemaker:<region>:<account>:notebook-instance/<name>`, with the name in lower
 * case as SageMaker writes it in ARNs (an unresolved name is used as given).
 */
function notebookArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'notebook-instance',
    resourceName: Token.isUnresolved(name) ? name : name.toLowerCase(),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * A stable notebook instance name from the stack name and construct path, in lower case, at most
 * 63 characters, ending in a hash of the full path so it is unique.
 */
function generatedNotebookName(scope: Construct, id: string): string {
  const stack = Stack.of(scope);
  const fullPath = `${stack.stackName}/${[...scope.node.scopes.map((s) => s.node.id), id].join('/')}`;
  const hash = createHash('sha256').update(fullPath).digest('hex').slice(0, 8);
  const base = pathBasedName(scope, id, 63 - hash.length - 1).toLowerCase();
  return base ? `${base}-${hash}` : `notebook-${hash}`;
}

/** What created and imported notebook instances share: their grants. */
abstract class NotebookInstanceBase extends Resource implements INotebookInstance {
  public abstract readonly notebookInstanceName: string;
  public abstract readonly notebookInstanceArn: string;

  public grantCreatePresignedUrl(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:CreatePresignedNotebookInstanceUrl', 'sagemaker:DescribeNotebookInstance'],
      resourceArns: [this.notebookInstanceArn],
    });
  }
}

/** The warning a notebook with direct internet access gets; synth fails until it is acknowledged. */
const DIRECT_INTERNET_WARNING = 'sagemaker-cdk-constructs:notebookDirectInternetAccess';

/**
 * A SageMaker notebook instance with safe defaults: in your VPC's private subnet with no direct
 * internet access, no root access, IMDSv2 only, its volume encrypted with a customer-managed
 * key, a role with only what the instance needs, and a lifecycle configuration that stops it
 * after an hour without activity.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/nbi.html
 */
export class NotebookInstance extends NotebookInstanceBase implements iam.IGrantable, ec2.IConnectable {
  /** Imports a notebook instance by name. */
  public static fromNotebookInstanceName(scope: Construct, id: string, notebookInstanceName: string): INotebookInstance {
    class Import extends NotebookInstanceBase {
      public readonly notebookInstanceName = notebookInstanceName;
      public readonly notebookInstanceArn = notebookArn(scope, notebookInstanceName);
    }
    return new Import(scope, id);
  }

  public readonly notebookInstanceName: string;
  public readonly notebookInstanceArn: string;
  /** The role the instance runs as. */
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly connections: ec2.Connections;
  /** The key that encrypts the storage volume, if any. */
  public readonly encryptionKey?: kms.IKey;
  /** The lifecycle configuration, if any. */
  public readonly lifecycleConfig?: INotebookLifecycleConfig;
  /** The instance type. */
  public readonly instanceType: InstanceType;

  constructor(scope: Construct, id: string, props: NotebookInstanceProps) {
    // The ARN is built from the name (never `Fn::GetAtt NotebookInstanceArn`). SageMaker writes
    // the name in lower case in the ARN, and a name CloudFormation generates has capitals, so
    // without a given name the construct generates a stable lower-case one.
    const physicalName = props.notebookInstanceName ?? generatedNotebookName(scope, id);
    super(scope, id, { physicalName });

    this.instanceType = props.instanceType ?? InstanceType.ML_T3_MEDIUM;
    const nvme = !Token.isUnresolved(this.instanceType.name) && this.instanceType.hasLocalNvmeStorage;
    const securityGroups = props.securityGroups ?? [props.network.developmentSecurityGroup];
    const volumeGiB = props.volumeSize?.toGibibytes() ?? 50;

    const problems: string[] = [];
    if (props.encryptionKey && nvme) {
      problems.push(
        `encryptionKey is set, but ${this.instanceType.name} has local NVMe storage and SageMaker rejects a volume KMS key on it ` +
          '(NVMe instance storage is encrypted by the hardware); remove encryptionKey or choose an instance type without NVMe storage.',
      );
    }
    const volumeProblem = rangeProblem('volumeSize in GiB', volumeGiB, 5, 16384);
    if (volumeProblem) problems.push(volumeProblem);
    if (securityGroups.length < 1 || securityGroups.length > 5) {
      problems.push(`securityGroups has ${securityGroups.length} entries, but a notebook instance takes 1 to 5; pass between 1 and 5.`);
    }
    const additional = props.additionalCodeRepositories ?? [];
    if (additional.length > 3) {
      problems.push(`additionalCodeRepositories has ${additional.length} entries, but SageMaker allows at most 3; keep at most 3.`);
    }
    if (props.lifecycleConfig && (props.idleTimeout || props.autoStopWhenIdle !== undefined || props.onCreateScript || props.onStartScript)) {
      problems.push('lifecycleConfig replaces the default lifecycle configuration; move idleTimeout, autoStopWhenIdle, onCreateScript and onStartScript into it.');
    }
    // NotebookInstanceName: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*, at most 63 characters.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateNotebookInstance.html#sagemaker-CreateNotebookInstance-request-NotebookInstanceName
    if (isConcrete(props.notebookInstanceName) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(props.notebookInstanceName)) {
      problems.push(
        `notebookInstanceName is "${props.notebookInstanceName}" (${props.notebookInstanceName.length} characters), but must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit; ` +
          'rename it, or leave it unset for a generated name.',
      );
    }
    throwIfProblems(this, problems);

    this.connections = new ec2.Connections({ securityGroups });
    this.encryptionKey = props.encryptionKey ?? (nvme ? undefined : new MlKey(this, 'Key', { description: `Encrypts the storage volume of ${this.node.path}` }));

    const role = props.role ?? new SageMakerExecutionRole(this, 'Role', { description: `Execution role of the notebook instance ${this.node.path}` });
    this.role = role;
    this.grantPrincipal = role;
    if (role instanceof SageMakerExecutionRole) {
      role.grantLogging();
      role.grantMetrics();
      role.grantVpcAccess(props.network.vpc);
      if (this.encryptionKey) role.grantKeyUse(this.encryptionKey);
    } else if (this.encryptionKey) {
      this.encryptionKey.grantEncryptDecrypt(role);
    }

    const wantsLifecycle = (props.autoStopWhenIdle ?? true) || props.onCreateScript !== undefined || props.onStartScript !== undefined;
    this.lifecycleConfig =
      props.lifecycleConfig ??
      (wantsLifecycle ? new NotebookLifecycleConfig(this, 'LifecycleConfig', {
        idleTimeout: props.idleTimeout,
        autoStopWhenIdle: props.autoStopWhenIdle,
        onCreateScript: props.onCreateScript,
        onStartScript: props.onStartScript,
      }) : undefined);

    const subnetId = props.subnet?.subnetId ?? props.network.subnetIds[0];
    const resource = new sagemaker.CfnNotebookInstance(this, 'Resource', {
      notebookInstanceName: physicalName,
      instanceType: this.instanceType.name,
      volumeSizeInGb: volumeGiB,
      kmsKeyId: this.encryptionKey?.keyId,
      roleArn: role.roleArn,
      subnetId,
      securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      directInternetAccess: props.directInternetAccess ? 'Enabled' : 'Disabled',
      rootAccess: props.rootAccess ? 'Enabled' : 'Disabled',
      platformIdentifier: (props.platform ?? NotebookPlatform.AL2023_V1).identifier,
      instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: '2' },
      defaultCodeRepository: props.defaultCodeRepository,
      additionalCodeRepositories: additional.length > 0 ? additional : undefined,
      lifecycleConfigName: this.lifecycleConfig?.notebookLifecycleConfigName,
    });
    // The instance starts (and runs its lifecycle scripts) as soon as it is created: its role
    // must already hold its permissions.
    resource.node.addDependency(role);
    this.notebookInstanceName = this.getResourceNameAttribute(resource.attrNotebookInstanceName);
    this.notebookInstanceArn = notebookArn(this, physicalName);

    if (this.lifecycleConfig?.stopsWhenIdle) {
      // The idle check stops the instance through its own role. The statement names the
      // instance's ARN, so it lives outside the role's subtree, which the instance depends on.
      new iam.ManagedPolicy(this, 'StopWhenIdlePolicy', {
        description: `Lets ${this.node.path} stop itself when idle`,
        roles: [role],
        statements: [new iam.PolicyStatement({ actions: ['sagemaker:StopNotebookInstance'], resources: [this.notebookInstanceArn] })],
      });
    }

    if (props.directInternetAccess) {
      Annotations.of(this).addWarningV2(
        DIRECT_INTERNET_WARNING,
        'Direct internet access lets notebook users send data out of your VPC and bypasses its controls. ' +
          'Prefer the VPC endpoints of MlNetwork; acknowledge this warning with a reason if the access is intended.',
      );
      this.node.addValidation({
        validate: () =>
          this.node.metadata.some((entry) => entry.type === 'aws:cdk:warning' && String(entry.data).includes(`[ack: ${DIRECT_INTERNET_WARNING}]`))
            ? [
                `[${this.node.path}] directInternetAccess is true, but its warning ${DIRECT_INTERNET_WARNING} is not acknowledged; ` +
                  `set directInternetAccess to false, or call Annotations.of(notebook).acknowledgeWarning('${DIRECT_INTERNET_WARNING}', reason).`,
              ]
            : [],
      });
    }
  }
}
