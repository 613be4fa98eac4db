/**
 * Studio application types that lifecycle configurations and spaces refer to.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-apps.html
 */
export enum StudioAppType {
  /** JupyterLab. */
  JUPYTER_LAB = 'JupyterLab',
  /** Code Editor, based on Code-OSS. */
  CODE_EDITOR = 'CodeEditor',
}
