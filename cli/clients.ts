/**
 * The AWS SDK clients the CLI uses, created lazily with the user's `--region` / `--profile` and
 * the SDK's default credential chain and retry strategy.
 */
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

/** Settings every client is created with. */
export interface AwsSettings {
  /** `--region`; the SDK's default chain (AWS_REGION, profile) when undefined. */
  readonly region?: string;
  /** `--profile`; AWS_PROFILE or `default` when undefined. */
  readonly profile?: string;
  /** Called with a one-line note whenever the SDK retries a throttled or failed request. */
  readonly onRetry?: (note: string) => void;
}

/** The clients a command may need; each is created on first use. */
export interface AwsClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly cloudFormation: CloudFormationClient;
  readonly cloudWatch: CloudWatchClient;
  readonly autoScaling: ApplicationAutoScalingClient;
  readonly runtime: SageMakerRuntimeClient;
  /** The region the clients talk to, as the SDK resolved it. */
  region(): Promise<string>;
}

/** Creates the clients for a command; tests inject their own. */
export type AwsClientFactory = (settings: AwsSettings) => AwsClients;

interface ClientConfig {
  region?: string;
  profile?: string;
}

/** The part of an SDK client this module touches: its middleware stack. */
interface MiddlewareHost {
  middlewareStack: {
    add(
      middleware: (next: (args: FinalizeArgs) => Promise<unknown>, context: object) => (args: FinalizeArgs) => Promise<unknown>,
      options: { step: 'finalizeRequest'; priority: 'low'; name: string },
    ): void;
  };
}

interface FinalizeArgs {
  readonly request: unknown;
}

/**
 * Adds a middleware that runs once per attempt inside the SDK's retry loop and reports every
 * retry ("note: ... throttled (ThrottlingException); retrying, attempt 2 of 3"), so that a slow
 * command under throttling is visibly working rather than hanging.
 */
export function addRetryNotes(client: object, commandLabel: string, onRetry: (note: string) => void): void {
  const lastError = new WeakMap<object, string>();
  (client as MiddlewareHost).middlewareStack.add(
    (next, context) => async (args) => {
      const attempt = attemptHeader(args.request);
      if (attempt && attempt.attempt > 1) {
        const commandName = (context as { commandName?: string }).commandName ?? 'request';
        const cause = lastError.get(context) ?? 'transient error';
        onRetry(`note: ${commandLabel} ${commandName.replace(/Command$/, '')} failed (${cause}); retrying, attempt ${attempt.attempt} of ${attempt.max}`);
      }
      try {
        return await next(args);
      } catch (error) {
        lastError.set(context, error instanceof Error ? error.name : String(error));
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'sagemakerCdkRetryNotes' },
  );
}

function attemptHeader(request: unknown): { attempt: number; max: number } | undefined {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers;
  const value = headers?.['amz-sdk-request'];
  const match = value ? /attempt=(\d+);\s*max=(\d+)/.exec(value) : null;
  return match ? { attempt: Number(match[1]), max: Number(match[2]) } : undefined;
}

/** The factory the installed command uses: real clients, default credential chain and retries. */
export const defaultAwsClients: AwsClientFactory = (settings) => {
  const config: ClientConfig = {};
  if (settings.region) config.region = settings.region;
  if (settings.profile) config.profile = settings.profile;
  const cache = new Map<string, object>();
  function lazy<T extends object>(key: string, create: () => T): T {
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = create();
      if (settings.onRetry) addRetryNotes(client, key, settings.onRetry);
      cache.set(key, client);
    }
    return client;
  }
  const clients: AwsClients = {
    get sagemaker() { return lazy('SageMaker', () => new SageMakerClient(config)); },
    get s3() { return lazy('S3', () => new S3Client(config)); },
    get cloudFormation() { return lazy('CloudFormation', () => new CloudFormationClient(config)); },
    get cloudWatch() { return lazy('CloudWatch', () => new CloudWatchClient(config)); },
    get autoScaling() { return lazy('ApplicationAutoScaling', () => new ApplicationAutoScalingClient(config)); },
    get runtime() { return lazy('SageMakerRuntime', () => new SageMakerRuntimeClient(config)); },
    region: () => clients.sagemaker.config.region(),
  };
  return clients;
};
