/**
 * The operating system and JupyterLab version of a notebook instance.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-al2.html
 */
export class NotebookPlatform {
  /** Amazon Linux 2023, JupyterLab 4. */
  public static readonly AL2023_V1 = new NotebookPlatform('notebook-al2023-v1');
  /** Amazon Linux 2, JupyterLab 4 (Amazon Linux 2 reaches end of support on 30 June 2026). */
  public static readonly AL2_V3 = new NotebookPlatform('notebook-al2-v3');
  /** Amazon Linux 2, JupyterLab 3 (Amazon Linux 2 reaches end of support on 30 June 2026). */
  public static readonly AL2_V2 = new NotebookPlatform('notebook-al2-v2');

  /** A platform identifier not listed here, such as a newer one. */
  public static of(identifier: string): NotebookPlatform {
    return new NotebookPlatform(identifier);
  }

  private constructor(
    /** The identifier SageMaker expects, e.g. `notebook-al2023-v1`. */
    public readonly identifier: string,
  ) {}

  /** The identifier. */
  public toString(): string {
    return this.identifier;
  }
}
