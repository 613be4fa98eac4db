import { JsonGetReference } from './step-references';

/** Properties of a {@link PropertyFile}. */
export interface PropertyFileProps {
  /** The property file's name, e.g. `EvaluationReport`. */
  readonly name: string;
  /** The processing output the file is written to, e.g. `evaluation`. */
  readonly outputName: string;
  /** The file's path inside that output, e.g. `evaluation.json`. */
  readonly path: string;
}

/**
 * A JSON file written by a processing step, whose values later steps (conditions, model
 * metrics) can read.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-propertyfile.html
 */
export class PropertyFile {
  /** The property file's name. */
  public readonly name: string;
  /** The processing output it is in. */
  public readonly outputName: string;
  /** Its path inside the output. */
  public readonly path: string;
  /** The name of the step that writes it, set when the file is attached to a step. */
  public stepName?: string;

  constructor(props: PropertyFileProps) {
    this.name = props.name;
    this.outputName = props.outputName;
    this.path = props.path;
  }

  /** A number in the file, e.g. `getNumber('binary_classification_metrics.auc.value')`. */
  public getNumber(jsonPath: string): number {
    return new JsonGetReference(this, jsonPath, true).asNumber();
  }

  /** A string in the file. */
  public getString(jsonPath: string): string {
    return new JsonGetReference(this, jsonPath, false).toString();
  }
}
