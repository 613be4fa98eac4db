/**
 * The languages Amazon Comprehend analyses (sentiment, entities and key phrases support all of
 * them), as the `LanguageCode` of its requests.
 * @see https://docs.aws.amazon.com/comprehend/latest/dg/supported-languages.html
 */
export enum ComprehendLanguage {
  /** German. */
  GERMAN = 'de',
  /** English. */
  ENGLISH = 'en',
  /** Spanish. */
  SPANISH = 'es',
  /** Italian. */
  ITALIAN = 'it',
  /** Portuguese. */
  PORTUGUESE = 'pt',
  /** French. */
  FRENCH = 'fr',
  /** Japanese. */
  JAPANESE = 'ja',
  /** Korean. */
  KOREAN = 'ko',
  /** Hindi. */
  HINDI = 'hi',
  /** Arabic. */
  ARABIC = 'ar',
  /** Chinese (simplified), `zh`. */
  CHINESE_SIMPLIFIED = 'zh',
  /** Chinese (traditional), `zh-TW`. */
  CHINESE_TRADITIONAL = 'zh-TW',
}
