import { IamCheckOptions } from '../../../lib/testing/iam-check';

/** IAM-check options for stacks holding an MlNetwork (shared by the notebook, Studio and Feature Store tests). */
export const NETWORK_IAM_OPTIONS: IamCheckOptions = {
  allowManagedPolicies: [
    {
      policyName: 'service-role/AWSLambdaBasicExecutionRole',
      pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider',
      reason: "aws-cdk-lib's own provider that empties the default security group; its role is not ours to shape",
    },
  ],
};
