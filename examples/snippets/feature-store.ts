import { Construct } from 'constructs';
import { FeatureGroup, FeatureType } from 'sagemaker-cdk-constructs';
import { networkSnippet } from './network';

/** The README's Feature Store snippet: online and offline stores, encrypted. */
export function featureStoreSnippet(scope: Construct) {
  const { key, data } = networkSnippet(scope);
  // snippet:start
  const customers = new FeatureGroup(scope, 'Customers', {
    recordIdentifierFeatureName: 'customer_id',
    eventTimeFeatureName: 'event_time',
    features: [
      { featureName: 'customer_id', featureType: FeatureType.STRING },
      { featureName: 'event_time', featureType: FeatureType.FRACTIONAL },
      { featureName: 'credit_score', featureType: FeatureType.INTEGRAL },
      { featureName: 'debt_to_income', featureType: FeatureType.FRACTIONAL },
    ],
    onlineStore: { encryptionKey: key },
    offlineStore: { bucket: data, prefix: 'feature-store/', encryptionKey: key },
  });
  // snippet:end
  return customers;
}
