/**
 * What a {@link RekognitionImageState} detects in an image.
 * @see https://docs.aws.amazon.com/rekognition/latest/dg/labels.html
 * @see https://docs.aws.amazon.com/rekognition/latest/dg/moderation.html
 */
export enum RekognitionImageAnalysis {
  /** Objects, scenes, concepts and activities (`DetectLabels`). */
  LABELS = 'LABELS',
  /** Unsafe or inappropriate content (`DetectModerationLabels`). */
  MODERATION = 'MODERATION',
}
