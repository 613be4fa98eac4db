import { aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * An IAM role whose permissions live in customer-managed policies attached to it, never in an
 * inline policy (HIPAA and NIST 800-53 rule out inline policies). Grants made to it through the
 * usual `grantXxx(role)` calls land in those managed policies. A new policy is started every
 * {@link ManagedPolicyRole.STATEMENTS_PER_POLICY} statements to stay below IAM's
 * 6,144-character managed-policy size.
 */
export class ManagedPolicyRole extends iam.Role {
  /** How many statements one of the role's managed policies holds before another is started. */
  public static readonly STATEMENTS_PER_POLICY = 12;

  private readonly statementPolicies: iam.ManagedPolicy[] = [];
  private statementsInCurrentPolicy = 0;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    let policy = this.statementPolicies[this.statementPolicies.length - 1];
    if (!policy || this.statementsInCurrentPolicy >= ManagedPolicyRole.STATEMENTS_PER_POLICY) {
      policy = new iam.ManagedPolicy(this, `Policy${this.statementPolicies.length + 1}`, {
        description: `Permissions of ${this.node.path}`,
        roles: [this],
      });
      this.statementPolicies.push(policy);
      this.statementsInCurrentPolicy = 0;
    }
    policy.addStatements(statement);
    this.statementsInCurrentPolicy += 1;
    return { statementAdded: true, policyDependable: policy };
  }
}
