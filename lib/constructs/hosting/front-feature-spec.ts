/**
 * How an {@link InferenceFront} describes one feature to its handler (JSON in the function's
 * `FEATURES` environment variable; handlers/inference-front.ts reads the same shape). Not part of
 * the public API: the hosting barrel does not export this file.
 */
export interface FrontFeatureSpec {
  /** The field name in the request. */
  readonly name: string;
  /** `numeric`: one column with the number; `oneHot`: one 0/1 column per category. */
  readonly kind: 'numeric' | 'oneHot';
  /** The smallest value allowed (numeric). */
  readonly min?: number;
  /** The largest value allowed (numeric). */
  readonly max?: number;
  /** The categories in the model's column order (oneHot). */
  readonly categories?: string[];
}
