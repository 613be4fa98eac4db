import { Construct } from 'constructs';
import { MlKey, MlNetwork, SecureBucket } from 'sagemaker-cdk-constructs';

/** The README's security snippet: a private network, a customer-managed key, an encrypted bucket. */
export function networkSnippet(scope: Construct) {
  // snippet:start
  const key = new MlKey(scope, 'Key'); // rotation on, retained on delete
  const network = new MlNetwork(scope, 'Network', { encryptionKey: key }); // isolated subnets, VPC endpoints, flow logs
  const data = new SecureBucket(scope, 'Data', { encryptionKey: key }); // SSE-KMS, TLS only, versioned, access logs
  // snippet:end
  return { key, network, data };
}
