/**
 * The value type of a feature.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_FeatureDefinition.html
 */
export enum FeatureType {
  /** Whole numbers (64-bit). */
  INTEGRAL = 'Integral',
  /** Floating-point numbers. */
  FRACTIONAL = 'Fractional',
  /** Text. */
  STRING = 'String',
}

/**
 * A collection of values of one feature type. Collection features need an in-memory online store.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-collection-types.html
 */
export enum CollectionType {
  /** An ordered collection. */
  LIST = 'List',
  /** An unordered collection of unique values. */
  SET = 'Set',
  /** A fixed-size list of fractional values (an embedding). Needs `vectorDimension`. */
  VECTOR = 'Vector',
}

/**
 * One feature of a feature group.
 */
export interface FeatureDefinition {
  /**
   * The feature's name: 1-64 letters, digits, hyphens and underscores, starting and ending with
   * a letter or digit; not `is_deleted`, `write_time` or `api_invocation_time`.
   */
  readonly featureName: string;

  /** The value type. */
  readonly featureType: FeatureType;

  /**
   * Make the feature a collection of values of `featureType`.
   * @default - a single value
   */
  readonly collectionType?: CollectionType;

  /**
   * The number of elements of a `CollectionType.VECTOR` feature, 1 to 8192.
   * @default - required for vectors, not allowed otherwise
   */
  readonly vectorDimension?: number;
}
