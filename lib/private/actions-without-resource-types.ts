/**
 * IAM actions that support no resource-level permissions (the Service Authorization Reference
 * lists no resource type for them), so a statement granting them must name `Resource: "*"`.
 * `MlWorkflow` acknowledges the wildcard finding of a state's statement only when every action
 * of the statement is listed here; any other wildcard stays reported. Cite the reference page
 * of each service next to its entries.
 */
const ACTIONS = new Set<string>([
  // Amazon Rekognition: DetectLabels lists no resource type. DetectModerationLabels lists only the
  // optional `projectversion`, which applies when a custom adapter is named (ProjectVersion); a
  // call without an adapter involves no resource, so IAM evaluates it against "*".
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrekognition.html
  'rekognition:DetectLabels',
  'rekognition:DetectModerationLabels',
  // Amazon Comprehend: DetectDominantLanguage, DetectKeyPhrases and DetectSentiment list no
  // resource type. DetectEntities lists only the optional `entity-recognizer-endpoint`, which
  // applies when a custom recognizer's EndpointArn is named; the built-in model involves no resource.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html
  'comprehend:DetectDominantLanguage',
  'comprehend:DetectEntities',
  'comprehend:DetectKeyPhrases',
  'comprehend:DetectSentiment',
  // Amazon Transcribe: StartTranscriptionJob lists no resource type (its condition keys
  // transcribe:OutputBucketName, transcribe:OutputKey and transcribe:OutputEncryptionKMSKeyId
  // scope it instead); GetTranscriptionJob takes `transcriptionjob` and is not listed.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazontranscribe.html
  'transcribe:StartTranscriptionJob',
  // Amazon Polly: GetSpeechSynthesisTask lists no resource type. StartSpeechSynthesisTask lists
  // only the optional `lexicon`, which applies when LexiconNames are given; a task without
  // lexicons involves no resource, so IAM evaluates it against "*".
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonpolly.html
  'polly:StartSpeechSynthesisTask',
  'polly:GetSpeechSynthesisTask',
]);

/** Whether IAM takes no resource for `action` (`service:Action`), per the table above. */
export function isActionWithoutResourceType(action: string): boolean {
  return ACTIONS.has(action);
}
