/**
 * QualityCheck steps, as SageMaker Pipelines runs them: the step's Arguments are a processing job
 * request for the Model Monitor analyzer, which always calculates a new baseline; unless SkipCheck,
 * the data is also checked against the previous baseline (SuppliedBaselineStatistics/Constraints,
 * else the drift-check baseline of the latest Approved version of ModelPackageGroupName) and the
 * step fails on violations. The step's properties are those of QualityCheckStepMetadata
 * (CalculatedBaseline*, BaselineUsedForDriftCheck*, ViolationReport, CheckJobArn, ...).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-quality-check
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-quality-clarify-baseline-lifecycle.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_QualityCheckStepMetadata.html
 */
import type { CreateProcessingJobRequest, ProcessingInput } from '@aws-sdk/client-sagemaker';
import type { LocalState } from './local-state';
import type { LocalObjectStore } from './object-store';

/** Where the emulation hands the previous baseline to the analyzer (the SDK's monitoring jobs use these folders). */
const BASELINE_STATISTICS_DIR = '/opt/ml/processing/baseline/stats';
const BASELINE_CONSTRAINTS_DIR = '/opt/ml/processing/baseline/constraints';

/** The check-specific fields of a QualityCheck step (evaluated). */
export interface QualityCheckFields {
  readonly CheckType?: unknown;
  readonly SkipCheck?: unknown;
  readonly RegisterNewBaseline?: unknown;
  readonly ModelPackageGroupName?: unknown;
  readonly SuppliedBaselineStatistics?: unknown;
  readonly SuppliedBaselineConstraints?: unknown;
}

/** The baseline a check compares against, and where it came from. */
export interface DriftBaseline {
  readonly statistics: string;
  readonly constraints: string;
  readonly source: string;
}

/** A pipeline Boolean: `true`/`false` or the strings Boolean parameters evaluate to. */
export function asBoolean(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/**
 * The baseline to check against: the supplied files, else the data or model quality drift-check
 * baseline of the group's latest Approved version; undefined when there is none.
 */
export function driftBaseline(fields: QualityCheckFields, state: LocalState): DriftBaseline | undefined {
  const statistics = fields.SuppliedBaselineStatistics;
  const constraints = fields.SuppliedBaselineConstraints;
  if (typeof statistics === 'string' && typeof constraints === 'string') {
    return { statistics, constraints, source: 'SuppliedBaselineStatistics/SuppliedBaselineConstraints' };
  }
  const group = fields.ModelPackageGroupName;
  if (typeof group !== 'string' || group === '') return undefined;
  const latest = state.latestApprovedModelPackage(group);
  const kind = fields.CheckType === 'MODEL_QUALITY' ? 'ModelQuality' : 'ModelDataQuality';
  const baselines = (latest?.DriftCheckBaselines as Record<string, { Statistics?: { S3Uri?: unknown }; Constraints?: { S3Uri?: unknown } }> | undefined)?.[kind];
  const s = baselines?.Statistics?.S3Uri;
  const c = baselines?.Constraints?.S3Uri;
  if (typeof s === 'string' && typeof c === 'string') return { statistics: s, constraints: c, source: `DriftCheckBaselines.${kind} of ${latest!.ModelPackageArn}` };
  return undefined;
}

/**
 * The analyzer request with the previous baseline as two more inputs and the analyzer's
 * `baseline_statistics`/`baseline_constraints` variables.
 */
export function withBaseline(request: CreateProcessingJobRequest, baseline: DriftBaseline, store: LocalObjectStore): CreateProcessingJobRequest {
  for (const [what, uri] of [['statistics', baseline.statistics], ['constraints', baseline.constraints]] as const) {
    if (!store.exists(uri)) throw new Error(`the baseline ${what} ${uri} (${baseline.source}) is not an object in the local store.`);
  }
  const file = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);
  const input = (name: string, uri: string, dir: string): ProcessingInput => ({
    InputName: name,
    S3Input: { S3Uri: uri, LocalPath: dir, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' },
  });
  return {
    ...request,
    ProcessingInputs: [
      ...(request.ProcessingInputs ?? []),
      input('baseline_statistics', baseline.statistics, BASELINE_STATISTICS_DIR),
      input('baseline_constraints', baseline.constraints, BASELINE_CONSTRAINTS_DIR),
    ],
    Environment: {
      ...(request.Environment ?? {}),
      baseline_statistics: `${BASELINE_STATISTICS_DIR}/${file(baseline.statistics)}`,
      baseline_constraints: `${BASELINE_CONSTRAINTS_DIR}/${file(baseline.constraints)}`,
    },
  };
}

/** The S3 URI the analyzer's output folder (`output_path`) was uploaded to. */
export function analyzerOutputUri(request: CreateProcessingJobRequest): string {
  const outputPath = request.Environment?.output_path ?? '/opt/ml/processing/output';
  const outputs = request.ProcessingOutputConfig?.Outputs ?? [];
  const output = outputs.find((o) => o.S3Output?.LocalPath?.replace(/\/+$/, '') === outputPath.replace(/\/+$/, ''));
  if (!output?.S3Output?.S3Uri) {
    throw new Error(`the analyzer writes to output_path ${outputPath}, but no processing output has that LocalPath (outputs: ${outputs.map((o) => o.S3Output?.LocalPath).join(', ') || 'none'}).`);
  }
  return output.S3Output.S3Uri.replace(/\/+$/, '');
}

/** The violations of a constraint_violations.json (empty when the file is absent). */
export function readViolations(store: LocalObjectStore, uri: string): Array<Record<string, unknown>> {
  if (!store.exists(uri)) return [];
  const parsed = JSON.parse(store.read(uri).toString('utf-8')) as { violations?: Array<Record<string, unknown>> };
  return parsed.violations ?? [];
}
