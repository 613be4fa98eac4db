import { Fn, RemovalPolicy, Stack, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { throwIfProblems } from '../../private/errors';
import { acknowledgeActionsWithoutResourceTypes } from '../../private/nag';
import { MlKey } from './ml-key';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';

/**
 * Properties of an {@link MlNetwork}.
 */
export interface MlNetworkProps {
  /**
   * An existing VPC to use instead of creating one. Its private isolated (or private) subnets
   * are used; the endpoints and the security group are added to it.
   * @default - a new VPC with private isolated subnets only
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets workloads run in, when `vpc` is given.
   * @default - the VPC's private isolated subnets
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * How many Availability Zones a new VPC spans (at least 2).
   *
   * The VPC takes them from its stack's `availabilityZones`. In a stack with a concrete account
   * and region, CDK's default looks the region's zone names up in the account (a context lookup:
   * the first `cdk synth` needs AWS credentials and writes `cdk.context.json`). To synthesize
   * without credentials, override `availabilityZones` in the stack to return
   * {@link MlNetwork.deployTimeAvailabilityZones} (CloudFormation's `Fn::GetAZs`, resolved when
   * the stack is deployed), as the example `MlPlatformStack` does.
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * The address range of a new VPC.
   * @default ec2.IpAddresses.cidr('10.0.0.0/16')
   */
  readonly ipAddresses?: ec2.IIpAddresses;

  /**
   * Create the VPC endpoints that SageMaker workloads need without internet access: an S3
   * gateway endpoint and interface endpoints for the SageMaker API, runtime, Feature Store
   * runtime, Studio, notebooks, STS, CloudWatch Logs and metrics, and ECR.
   * @default true
   */
  readonly endpoints?: boolean;

  /**
   * The key that encrypts the flow-log group of a new VPC. Its key policy must let CloudWatch
   * Logs use it (an `MlKey` does).
   * @default - a new `MlKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long VPC flow logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * The classes of workloads that get their own security group in an {@link MlNetwork}, so a
 * compromised workload of one class cannot reach workloads of another.
 */
export enum WorkloadClass {
  /** Processing, training, tuning, transform and monitoring jobs (members talk to each other for distributed training). */
  JOBS = 'JOBS',
  /** Hosted models behind endpoints (no traffic between members). */
  ENDPOINTS = 'ENDPOINTS',
  /** Studio apps and notebook instances (members talk to each other: Studio's apps and its EFS home). */
  DEVELOPMENT = 'DEVELOPMENT',
  /** Lambda handlers of custom resources (HTTPS to the VPC endpoints only). */
  HANDLERS = 'HANDLERS',
}

/**
 * The interface endpoints SageMaker workloads use in a VPC without internet access.
 */
const INTERFACE_ENDPOINTS: ReadonlyArray<[string, ec2.InterfaceVpcEndpointAwsService]> = [
  ['SageMakerApi', ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API],
  ['SageMakerRuntime', ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME],
  ['FeatureStoreRuntime', ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_FEATURESTORE_RUNTIME],
  ['Studio', ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_STUDIO],
  ['Notebook', ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_NOTEBOOK],
  ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
  ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  ['Monitoring', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING],
  ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
  ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
];

/**
 * A private network for SageMaker workloads: a VPC (new or given) whose workloads run in
 * private isolated subnets in at least two Availability Zones, with VPC flow logs, the VPC
 * endpoints SageMaker needs, and one security group per class of workloads (jobs, hosted
 * models, development environments, custom-resource handlers; see `securityGroupFor`), each
 * allowing traffic between its members only where the workload needs it (distributed training,
 * Studio) and HTTPS to the VPC endpoints.
 */
export class MlNetwork extends Construct implements ec2.IConnectable {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /**
   * The security group of jobs (the same as {@link jobsSecurityGroup}; kept for the code that
   * runs jobs with `network.securityGroup`).
   */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Jobs: TCP and UDP between members (distributed training), HTTPS to the VPC endpoints. */
  public readonly jobsSecurityGroup: ec2.ISecurityGroup;
  /** Hosted models: no traffic between members, HTTPS to the VPC endpoints. */
  public readonly endpointsSecurityGroup: ec2.ISecurityGroup;
  /** Studio apps and notebook instances: TCP between members, HTTPS to the VPC endpoints. */
  public readonly developmentSecurityGroup: ec2.ISecurityGroup;
  /** Custom-resource handlers: HTTPS to the VPC endpoints only. */
  public readonly handlersSecurityGroup: ec2.ISecurityGroup;
  /** The security group of the interface endpoints. */
  public readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /** Connections of the workload security group. */
  public readonly connections: ec2.Connections;
  /** The subnets workloads run in. */
  public readonly subnets: ec2.SubnetSelection;
  /** The ids of the subnets workloads run in. */
  public readonly subnetIds: string[];

  /**
   * The first `count` Availability Zones of the stack's region as CloudFormation lists them
   * (`Fn::Select` over `Fn::GetAZs`), resolved at deploy time: no context lookup, no AWS
   * credentials at synth. Return these from a stack's `availabilityZones` getter. `Fn::GetAZs`
   * lists the zones that have a default subnet, or every zone when none has one
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getavailabilityzones.html).
   */
  public static deployTimeAvailabilityZones(count = 2): string[] {
    return Array.from({ length: count }, (_, index) => Fn.select(index, Fn.getAzs()));
  }

  constructor(scope: Construct, id: string, props: MlNetworkProps = {}) {
    super(scope, id);
    assertSingleCdkLib(this);

    const maxAzs = props.maxAzs ?? 2;
    const problems: string[] = [];
    if (props.vpc && (props.maxAzs !== undefined || props.ipAddresses !== undefined)) {
      problems.push('maxAzs and ipAddresses apply to a new VPC only; remove them when you pass vpc.');
    }
    if (!props.vpc && (maxAzs < 2 || !Number.isInteger(maxAzs))) {
      problems.push(`maxAzs is ${maxAzs}, but SageMaker workloads need subnets in at least 2 Availability Zones; set maxAzs to 2 or more.`);
    }
    if (!props.vpc && props.subnets) {
      problems.push('subnets applies to a given vpc only; remove it or pass vpc.');
    }
    throwIfProblems(this, problems);

    if (props.vpc) {
      this.vpc = props.vpc;
      this.subnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    } else {
      // MlKey's key policy lets CloudWatch Logs of this account use it.
      const flowLogKey = props.encryptionKey ?? new MlKey(this, 'FlowLogKey', { description: `Encrypts the VPC flow logs of ${this.node.path}` });
      const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
        encryptionKey: flowLogKey,
        retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // The flow-log role gets a customer-managed policy scoped to its log group (no inline policy).
      const flowLogRole = new iam.Role(this, 'FlowLogRole', {
        assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        }),
        description: `Delivers the VPC flow logs of ${this.node.path}`,
      });
      const flowLogPolicy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
        roles: [flowLogRole],
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            resources: [flowLogGroup.logGroupArn],
          }),
          new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
        ],
      });
      acknowledgeActionsWithoutResourceTypes(flowLogPolicy, ['logs:DescribeLogGroups']);
      const vpc = new ec2.Vpc(this, 'Vpc', {
        ipAddresses: props.ipAddresses ?? ec2.IpAddresses.cidr('10.0.0.0/16'),
        maxAzs,
        natGateways: 0,
        // Removes every rule of the VPC's default security group (nothing should use it).
        restrictDefaultSecurityGroup: true,
        subnetConfiguration: [{ name: 'Workloads', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
        flowLogs: {
          // The role is passed without policy updates: FlowLog would add an inline policy letting
          // the role pass itself, which only the deploying principal needs.
          All: {
            destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole.withoutPolicyUpdates()),
            trafficType: ec2.FlowLogTrafficType.ALL,
          },
        },
      });
      this.vpc = vpc;
      this.subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    }
    this.subnetIds = this.vpc.selectSubnets(this.subnets).subnetIds;

    // The jobs group keeps the construct id of the former single workload group, so existing
    // deployments keep it (and the jobs that use `network.securityGroup`); its description stays
    // too, as a new description would replace the group.
    const securityGroup = new ec2.SecurityGroup(this, 'WorkloadSecurityGroup', {
      vpc: this.vpc,
      description: 'SageMaker workloads: traffic between workloads and HTTPS to VPC endpoints only',
      allowAllOutbound: false,
    });
    // TCP and UDP on every port between members: distributed training (NCCL, MPI, parameter
    // servers) picks ports at run time. No rule allows any other source.
    for (const port of [ec2.Port.allTcp(), ec2.Port.allUdp()]) {
      securityGroup.addIngressRule(securityGroup, port, 'Between SageMaker workloads (distributed training)');
      securityGroup.addEgressRule(securityGroup, port, 'Between SageMaker workloads (distributed training)');
    }
    this.securityGroup = securityGroup;
    this.jobsSecurityGroup = securityGroup;
    this.connections = new ec2.Connections({ securityGroups: [securityGroup] });

    // Hosted models: SageMaker routes requests to them; they need no traffic between instances.
    this.endpointsSecurityGroup = new ec2.SecurityGroup(this, 'EndpointsSecurityGroup', {
      vpc: this.vpc,
      description: 'SageMaker hosted models: HTTPS to VPC endpoints only',
      allowAllOutbound: false,
    });
    // Studio: JupyterServer/KernelGateway apps talk to each other over TCP and mount the
    // domain's EFS home (NFS, TCP 2049); notebook instances share the group.
    const development = new ec2.SecurityGroup(this, 'DevelopmentSecurityGroup', {
      vpc: this.vpc,
      description: 'SageMaker Studio and notebooks: TCP between members and HTTPS to VPC endpoints only',
      allowAllOutbound: false,
    });
    development.addIngressRule(development, ec2.Port.allTcp(), 'Between Studio apps and their EFS home');
    development.addEgressRule(development, ec2.Port.allTcp(), 'Between Studio apps and their EFS home');
    this.developmentSecurityGroup = development;
    this.handlersSecurityGroup = new ec2.SecurityGroup(this, 'HandlersSecurityGroup', {
      vpc: this.vpc,
      description: 'Custom-resource handlers: HTTPS to VPC endpoints only',
      allowAllOutbound: false,
    });
    const groups = [securityGroup, this.endpointsSecurityGroup, development, this.handlersSecurityGroup];

    if (props.endpoints ?? true) {
      // The S3 gateway endpoint is reached through its prefix list, which CloudFormation cannot
      // look up by name; the subnets have no other route out, so HTTPS egress to any address
      // reaches only the gateway endpoint and the interface endpoints.
      for (const group of groups) {
        group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to VPC endpoints (isolated subnets have no internet route)');
      }
      new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', { vpc: this.vpc, service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [this.subnets] });
      const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface VPC endpoints: HTTPS from SageMaker workloads only',
        allowAllOutbound: false,
      });
      for (const group of groups) {
        endpointSecurityGroup.addIngressRule(group, ec2.Port.tcp(443), 'HTTPS from SageMaker workloads');
      }
      this.endpointSecurityGroup = endpointSecurityGroup;
      for (const [name, service] of INTERFACE_ENDPOINTS) {
        new ec2.InterfaceVpcEndpoint(this, `${name}Endpoint`, {
          vpc: this.vpc,
          service,
          subnets: this.subnets,
          securityGroups: [endpointSecurityGroup],
          privateDnsEnabled: true,
          open: false,
        });
      }
    }
  }

  /** The security group of a class of workloads. */
  public securityGroupFor(workloadClass: WorkloadClass): ec2.ISecurityGroup {
    switch (workloadClass) {
      case WorkloadClass.ENDPOINTS:
        return this.endpointsSecurityGroup;
      case WorkloadClass.DEVELOPMENT:
        return this.developmentSecurityGroup;
      case WorkloadClass.HANDLERS:
        return this.handlersSecurityGroup;
      default:
        return this.jobsSecurityGroup;
    }
  }
}
