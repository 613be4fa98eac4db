/**
 * What a {@link ComprehendTextState} finds in a text.
 * @see https://docs.aws.amazon.com/comprehend/latest/dg/how-it-works.html
 */
export enum ComprehendTextAnalysis {
  /** The prevailing sentiment: POSITIVE, NEGATIVE, NEUTRAL or MIXED (`DetectSentiment`; text up to 5 KB). */
  SENTIMENT = 'SENTIMENT',
  /** Named entities: people, places, organizations, dates, quantities... (`DetectEntities`; text up to 100 KB). */
  ENTITIES = 'ENTITIES',
  /** The phrases most indicative of the content (`DetectKeyPhrases`; text up to 100 KB). */
  KEY_PHRASES = 'KEY_PHRASES',
  /** The dominant language(s) of the text, as RFC 5646 codes (`DetectDominantLanguage`; takes no language code). */
  DOMINANT_LANGUAGE = 'DOMINANT_LANGUAGE',
}
