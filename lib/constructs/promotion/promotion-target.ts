import { IEndpoint } from '../hosting/endpoint';

/**
 * A request sent to an endpoint after a deployment, to check that the new model version answers.
 * The call must succeed and, when `expectedResponsePattern` is set, its response body must match.
 */
export interface SmokeTest {
  /**
   * The endpoint the deployed stack serves. Only `sagemaker:InvokeEndpoint` on this endpoint is
   * granted. Prefer `Endpoint.fromEndpointName` for an endpoint of another stack: a direct reference
   * makes that stack export the name.
   */
  readonly endpoint: IEndpoint;
  /** The request body, sent as is (for example a CSV row or a JSON document). */
  readonly body: string;
  /**
   * The request's Content-Type, for example `text/csv` or `application/json`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
   */
  readonly contentType: string;
  /**
   * The Accept header of the request.
   * @default - none (the container's default response type)
   */
  readonly accept?: string;
  /**
   * A regular expression the response body must match somewhere, evaluated as a Perl-compatible
   * expression (`grep -P`) over the whole body: `^` and `$` are the start and end of the body.
   * It must also be a valid JavaScript regular expression (checked at synth).
   * @default - any response of a successful call passes
   */
  readonly expectedResponsePattern?: string;
}

/** A stack whose model package version parameter a promotion pipeline updates. */
export interface PromotionTarget {
  /**
   * The name of the deployed CloudFormation stack (1-128 letters, digits and hyphens, starting with
   * a letter). The stack must exist when the pipeline runs and should have a service role
   * associated (as `cdk deploy` does), unless the pipeline is given a `cloudFormationRole`.
   */
  readonly stackName: string;
  /**
   * The stack parameter that holds the model package version ARN (letters and digits), for example
   * `ModelPackageVersionArn`. Every other parameter keeps its value.
   */
  readonly parameterName: string;
  /**
   * A request sent to the stack's endpoint after each deployment; the promotion stops when it fails.
   * @default - no smoke test
   */
  readonly smokeTest?: SmokeTest;
}
