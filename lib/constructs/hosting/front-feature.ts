import type { FrontFeatureSpec } from './front-feature-spec';

/**
 * Bounds of a numeric feature of an {@link InferenceFront}.
 */
export interface NumericFeatureOptions {
  /**
   * The smallest value a request may send; smaller values are refused with HTTP 400.
   * @default - no lower bound
   */
  readonly min?: number;
  /**
   * The largest value a request may send; larger values are refused with HTTP 400.
   * @default - no upper bound
   */
  readonly max?: number;
}

/**
 * One input feature of the model behind an {@link InferenceFront}: how a field of the JSON
 * request becomes columns of the CSV row the endpoint receives. The features of a front are
 * listed in the model's column order.
 */
export class FrontFeature {
  /**
   * A numeric feature: one CSV column holding the number the request sends.
   * @param name the field name in the request (and the column name of the training data)
   */
  public static numeric(name: string, options: NumericFeatureOptions = {}): FrontFeature {
    return new FrontFeature({ name, kind: 'numeric', min: options.min, max: options.max });
  }

  /**
   * A categorical feature, one-hot encoded: one CSV column per category, in the order given, with
   * 1 in the column of the request's category and 0 in the others. A category not in the list is
   * refused with HTTP 400 naming the allowed ones.
   *
   * Give the categories in the order of the model's columns: `pandas.get_dummies`, for example,
   * makes one column per category seen in the training data, sorted.
   * @param name the field name in the request (the columns are named `<name>_<category>`)
   * @param categories the categories, in the model's column order
   */
  public static oneHot(name: string, categories: string[]): FrontFeature {
    return new FrontFeature({ name, kind: 'oneHot', categories: [...categories] });
  }

  /** The field name in the request. */
  public readonly name: string;

  private constructor(private readonly spec: FrontFeatureSpec) {
    this.name = spec.name;
  }

  /** The CSV columns the feature fills, named as `pandas.get_dummies` names them. */
  public get columns(): string[] {
    return this.spec.kind === 'numeric' ? [this.spec.name] : (this.spec.categories ?? []).map((c) => `${this.spec.name}_${c}`);
  }

  /**
   * The description the handler reads.
   * @internal
   */
  public _spec(): FrontFeatureSpec {
    return this.spec;
  }
}
