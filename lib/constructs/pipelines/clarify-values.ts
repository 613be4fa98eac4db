/**
 * Values of a column in a Clarify bias configuration (`label_values_or_threshold` of the label,
 * `value_or_threshold` of a facet): the values that form the positive outcome or the sensitive
 * group, or, for a continuous column, a threshold. Rendered as a JSON list, as the SageMaker
 * Python SDK's `BiasConfig` renders them; Clarify compares them with the column's values, so give
 * numbers for a numeric column (`[1]` does not match the text `"1"`).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-configure-analysis.html
 */
export class ClarifyValues {
  /** Category values (text), e.g. `ClarifyValues.text(['female'])`. */
  public static text(values: string[]): ClarifyValues {
    return new ClarifyValues([...values], 'text');
  }

  /** Numeric values, e.g. `ClarifyValues.numbers([1])` for the label 1 of a 0/1 column. */
  public static numbers(values: number[]): ClarifyValues {
    return new ClarifyValues([...values], 'numbers');
  }

  /**
   * The lower bound of a continuous column's positive outcome or sensitive group (rendered as
   * the one-element list `[threshold]`), e.g. `ClarifyValues.threshold(40)` for ages above 40.
   */
  public static threshold(threshold: number): ClarifyValues {
    return new ClarifyValues([threshold], 'threshold');
  }

  private constructor(
    private readonly values: unknown[],
    private readonly kind: 'text' | 'numbers' | 'threshold',
  ) {}

  /** How many values there are. */
  public get count(): number {
    return this.values.length;
  }

  /**
   * The JSON list of the configuration.
   * @internal
   */
  public _render(): unknown[] {
    return [...this.values];
  }

  /**
   * What the values are, for messages.
   * @internal
   */
  public get _kind(): string {
    return this.kind;
  }
}
