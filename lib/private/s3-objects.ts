// S3 object helpers shared by constructs; not exported.
import { Token, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';

/**
 * Grants read access to one object as SageMaker fetches an `S3Prefix` input: it lists the
 * bucket with the key as the prefix (`s3:ListBucket`, scoped with the `s3:prefix` condition),
 * then gets the object. Without the list permission the input fails with AccessDenied even
 * though the object is readable.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html (the S3 permissions of each job API)
 */
export function grantReadObject(grantee: iam.IGrantable, bucket: s3.IBucket, key: string): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(key)] });
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [key] } } }),
  );
  bucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
}

/**
 * The last segment of an object key (the file name SageMaker gives the object when it copies an
 * `S3Prefix` input to a container), or undefined when the key is a token: never split a token.
 */
export function objectFileName(key: string): string | undefined {
  if (Token.isUnresolved(key)) return undefined;
  const name = key.split('/').pop();
  return name ? name : undefined;
}
