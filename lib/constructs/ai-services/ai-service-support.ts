// What the AI service states and jobs of this folder share: where each service has an endpoint,
// how a runtime value is told from a fixed one, the checks of an S3 object key read per execution.
// Not exported from the barrel: internal plumbing.
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The AI services the states of this folder call, by their AWS SDK names. */
export type AiService = 'rekognition' | 'comprehend' | 'transcribe' | 'polly';

const TITLES: Record<AiService, string> = {
  rekognition: 'Amazon Rekognition',
  comprehend: 'Amazon Comprehend',
  transcribe: 'Amazon Transcribe',
  polly: 'Amazon Polly',
};

/**
 * Regions AWS knows in which a service has no endpoint, per AWS's endpoint data (botocore 1.43.11,
 * botocore/data/endpoints.json: every partition's regions without an endpoint of the service).
 * Regions not listed (including regions newer than that data) pass.
 * @see https://docs.aws.amazon.com/general/latest/gr/rekognition.html
 * @see https://docs.aws.amazon.com/general/latest/gr/comprehend.html
 * @see https://docs.aws.amazon.com/general/latest/gr/transcribe.html
 * @see https://docs.aws.amazon.com/general/latest/gr/pol.html
 */
const REGIONS_WITHOUT_ENDPOINT: Record<AiService, readonly string[]> = {
  rekognition: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-3', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6',
    'ap-southeast-7', 'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-west-3', 'eusc-de-east-1',
    'me-central-1', 'me-south-1', 'mx-central-1', 'us-gov-east-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1',
  ],
  comprehend: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-3', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6',
    'ap-southeast-7', 'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-2', 'eu-isoe-west-1', 'eu-north-1', 'eu-south-1', 'eu-south-2',
    'eu-west-3', 'eusc-de-east-1', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-gov-east-1', 'us-iso-west-1',
    'us-isob-east-1', 'us-isob-west-1', 'us-west-1',
  ],
  transcribe: [
    'ap-east-2', 'ap-northeast-3', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-west-1',
    'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'mx-central-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1',
    'eusc-de-east-1',
  ],
  // In China, Polly runs in cn-northwest-1 (Ningxia) only: https://docs.amazonaws.cn/en_us/aws/latest/userguide/polly.html
  polly: [
    'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-6', 'ap-southeast-7', 'ca-west-1', 'eu-south-1', 'il-central-1',
    'me-central-1', 'mx-central-1', 'cn-north-1', 'us-gov-east-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1',
    'us-isof-east-1', 'us-isof-south-1',
  ],
};

/** Whether `service` has an endpoint in `region` (true for an unresolved token or a region the table does not know). */
export function hasEndpoint(service: AiService, region: string): boolean {
  return Token.isUnresolved(region) || !REGIONS_WITHOUT_ENDPOINT[service].includes(region);
}

/** A problem when the stack of `scope` is in a (concrete) region without an endpoint of `service`, else undefined. */
export function regionProblem(scope: IConstruct, service: AiService): string | undefined {
  const region = Stack.of(scope).region;
  if (hasEndpoint(service, region)) return undefined;
  return `${TITLES[service]} has no endpoint in ${region} (AWS's endpoint data), so the state machine cannot call it there; run the workflow in a region that offers it (e.g. us-east-1, eu-west-1).`;
}

/** Whether `value` is read at run time (a JSONPath or an intrinsic function) rather than fixed. */
export function isRuntimeValue(value: string | undefined): boolean {
  return value !== undefined && !Token.isUnresolved(value) && (value.startsWith('$') || value.startsWith('States.'));
}

/** How one state names its S3 object key and the prefix of keys read per execution, in messages. */
export interface ObjectKeyNames {
  /** The key prop, e.g. `mediaKey`. */
  readonly key: string;
  /** The prefix prop, e.g. `mediaKeyPrefix`. */
  readonly prefix: string;
  /** What the objects are, e.g. `media`. */
  readonly things: string;
  /** The rule for a key's length, completed by "1 to 1024", e.g. `an S3 object key has`. */
  readonly lengthRule: string;
  /** A JSONPath example, e.g. `$.audioKey`. */
  readonly pathExample: string;
  /** A prefix example, e.g. `calls/`. */
  readonly prefixExample: string;
}

/**
 * The problems of an S3 object key that is fixed (1 to 1024 characters, granted exactly) or read
 * per execution (`dynamic`: then a prefix without "*" bounds what the state machine may read).
 */
export function objectKeyProblems(names: ObjectKeyNames, key: string, prefix: string | undefined, dynamic: boolean): string[] {
  const problems: string[] = [];
  if (!Token.isUnresolved(key) && !dynamic && (key.length < 1 || key.length > 1024)) {
    problems.push(`${names.key} "${key.slice(0, 60)}" has ${key.length} characters, but ${names.lengthRule} 1 to 1024 (or give a JSONPath such as "${names.pathExample}").`);
  }
  if (dynamic && prefix === undefined) {
    problems.push(`${names.key} "${key}" is read from the state input, so give ${names.prefix} (e.g. "${names.prefixExample}"): the state machine may read only ${names.things} under it, not the whole bucket.`);
  }
  if (!dynamic && prefix !== undefined) {
    problems.push(`${names.prefix} "${prefix}" applies only to a ${names.key} read from the state input (a JSONPath); the fixed key "${key}" is granted exactly, so remove ${names.prefix}.`);
  }
  if (prefix !== undefined && !Token.isUnresolved(prefix) && (prefix.length === 0 || prefix.includes('*'))) {
    problems.push(`${names.prefix} "${prefix}" must be a non-empty key prefix without "*" (e.g. "${names.prefixExample}").`);
  }
  return problems;
}
