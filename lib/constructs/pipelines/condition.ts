/** The comparisons a condition step supports. */
export enum ComparisonType {
  /** left > right */
  GREATER_THAN = 'GreaterThan',
  /** left >= right */
  GREATER_THAN_OR_EQUAL_TO = 'GreaterThanOrEqualTo',
  /** left < right */
  LESS_THAN = 'LessThan',
  /** left <= right */
  LESS_THAN_OR_EQUAL_TO = 'LessThanOrEqualTo',
  /** left == right */
  EQUALS = 'Equals',
  /** left != right (SageMaker has no such condition type: it renders as `Not` of `Equals`). */
  NOT_EQUALS = 'NotEquals',
}

/**
 * A numeric comparison for a condition step. Either side may be a reference: a property-file
 * value (`report.getNumber('...auc.value')`), a numeric parameter (`param.asNumber()`) or a
 * number step property.
 */
export class Condition {
  /** left >= right, e.g. AUC >= 0.7. */
  public static greaterThanOrEqualTo(left: number, right: number): Condition {
    return new Condition(ComparisonType.GREATER_THAN_OR_EQUAL_TO, left, right);
  }

  /** left > right. */
  public static greaterThan(left: number, right: number): Condition {
    return new Condition(ComparisonType.GREATER_THAN, left, right);
  }

  /** left <= right. */
  public static lessThanOrEqualTo(left: number, right: number): Condition {
    return new Condition(ComparisonType.LESS_THAN_OR_EQUAL_TO, left, right);
  }

  /** left < right. */
  public static lessThan(left: number, right: number): Condition {
    return new Condition(ComparisonType.LESS_THAN, left, right);
  }

  /** left == right (named `equalTo` because `equals` is reserved in jsii languages). */
  public static equalTo(left: number, right: number): Condition {
    return new Condition(ComparisonType.EQUALS, left, right);
  }

  /** left != right (rendered as SageMaker's `Not` of an `Equals` condition). */
  public static notEquals(left: number, right: number): Condition {
    return new Condition(ComparisonType.NOT_EQUALS, left, right);
  }

  private constructor(
    /** The comparison. */
    public readonly comparison: ComparisonType,
    /** The left value. */
    public readonly left: number,
    /** The right value. */
    public readonly right: number,
  ) {}

  /**
   * The condition as the pipeline definition has it (references resolved later).
   * @internal
   */
  public _render(): Record<string, unknown> {
    if (this.comparison === ComparisonType.NOT_EQUALS) {
      // The condition types SageMaker Pipelines knows: Equals, GreaterThan(OrEqualTo), LessThan(OrEqualTo), In, Not, Or.
      return { Type: 'Not', Expression: { Type: ComparisonType.EQUALS, LeftValue: this.left, RightValue: this.right } };
    }
    return { Type: this.comparison, LeftValue: this.left, RightValue: this.right };
  }
}
