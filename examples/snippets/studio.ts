import { Size } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InstanceType, NotebookInstance, StudioDomain } from 'sagemaker-cdk-constructs';
import { networkSnippet } from './network';

/** The README's development-environment snippet: a VPC-only Studio domain and a notebook. */
export function studioSnippet(scope: Construct) {
  const { key, network, data } = networkSnippet(scope);
  // snippet:start
  const studio = new StudioDomain(scope, 'Studio', { network, encryptionKey: key }); // VPC only, idle apps shut down
  const alice = studio.addUserProfile('Alice', { userProfileName: 'alice', ownExecutionRole: true });
  alice.grantReadWriteOwnPrefix(data); // users/alice/ only
  new NotebookInstance(scope, 'Notebook', {
    network, encryptionKey: key, // no direct internet, no root, stops when idle
    instanceType: InstanceType.ML_T3_MEDIUM, volumeSize: Size.gibibytes(50),
  });
  // snippet:end
  return studio;
}
