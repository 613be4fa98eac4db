import { FrontFeature } from '../constructs/hosting';

/**
 * The loan-default model's input, as the training pipeline's Preprocess step
 * (examples/scripts/preprocess.py) encodes it and the endpoints receive it: the numeric columns in
 * file order, then `pandas.get_dummies` one-hot columns of the categorical ones (categories in
 * sorted order). The customer id and the label (`default`) are not features.
 */
export class LoanFeatures {
  /** The numeric features, in model input order. */
  public static readonly NUMERIC: readonly string[] = [
    'age',
    'annual_income',
    'loan_amount',
    'loan_term_months',
    'interest_rate',
    'credit_score',
    'employment_years',
    'debt_to_income',
  ];

  /** The categorical features and their categories, in the order get_dummies writes them. */
  public static readonly CATEGORICAL: Readonly<Record<string, readonly string[]>> = {
    home_ownership: ['MORTGAGE', 'OWN', 'RENT'],
    purpose: ['car', 'credit_card', 'debt_consolidation', 'home_improvement', 'small_business'],
  };

  /** The label column of the raw data (1 = the applicant defaulted). */
  public static readonly LABEL = 'default';

  /**
   * The request fields the REST API's front takes, with plausible bounds, in the order that
   * encodes them as the model's 16 columns.
   */
  public static frontFeatures(): FrontFeature[] {
    return [
      FrontFeature.numeric('age', { min: 18, max: 100 }),
      FrontFeature.numeric('annual_income', { min: 0 }),
      FrontFeature.numeric('loan_amount', { min: 0 }),
      FrontFeature.numeric('loan_term_months', { min: 1 }),
      FrontFeature.numeric('interest_rate', { min: 0, max: 100 }),
      FrontFeature.numeric('credit_score', { min: 300, max: 850 }),
      FrontFeature.numeric('employment_years', { min: 0 }),
      FrontFeature.numeric('debt_to_income', { min: 0 }),
      ...Object.entries(LoanFeatures.CATEGORICAL).map(([name, categories]) => FrontFeature.oneHot(name, [...categories])),
    ];
  }

  /** The encoded column names, in model input order (16 columns). */
  public static headers(): string[] {
    return [
      ...LoanFeatures.NUMERIC,
      ...Object.entries(LoanFeatures.CATEGORICAL).flatMap(([name, categories]) => categories.map((c) => `${name}_${c}`)),
    ];
  }

  private constructor() {}
}
