import { JobReference } from '../jobs';
import type { PipelineStep } from './pipeline-step';
import type { PropertyFile } from './property-file';

/**
 * A property of a step's result, e.g. `ModelArtifacts.S3ModelArtifacts` of a training step.
 * Using it in another step makes that step run after this one.
 */
export class StepPropertyReference extends JobReference {
  constructor(
    /** The step. */
    public readonly step: PipelineStep,
    /** The property path under `Steps.<name>.`. */
    public readonly path: string,
    /** Whether the property is a number. */
    public readonly isNumeric: boolean = false,
  ) {
    super();
  }

  public get description(): string {
    return `property ${this.path} of step ${this.step.stepName}`;
  }
}

/**
 * A value read from a JSON property file a processing step writes (e.g. the AUC in the
 * evaluation report), rendered as `Std:JsonGet`.
 */
export class JsonGetReference extends JobReference {
  constructor(
    /** The property file. */
    public readonly propertyFile: PropertyFile,
    /** The JSON path in the file, e.g. `binary_classification_metrics.auc.value`. */
    public readonly jsonPath: string,
    /** Whether the value is a number. */
    public readonly isNumeric: boolean,
  ) {
    super();
  }

  public get description(): string {
    return `${this.jsonPath} of property file ${this.propertyFile.name}`;
  }
}
