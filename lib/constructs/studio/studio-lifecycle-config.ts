import { createHash } from 'crypto';
import { IResource, Names, Resource, Token, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { throwIfProblems } from '../../private/errors';
import { MAX_NOTEBOOK_SCRIPT_BASE64_LENGTH, base64Length, encodeScript } from '../notebook/lifecycle-script';
import { StudioAppType } from './studio-app-type';

/**
 * A Studio lifecycle configuration.
 */
export interface IStudioLifecycleConfig extends IResource {
  /** The configuration's ARN. @attribute */
  readonly studioLifecycleConfigArn: string;
  /** The app type the configuration runs in. */
  readonly appType: StudioAppType;
}

/**
 * Properties of a {@link StudioLifecycleConfig}.
 */
export interface StudioLifecycleConfigProps {
  /** The app type whose start runs the script. */
  readonly appType: StudioAppType;
  /**
   * The shell script, plain text (it is base64-encoded for you; at most 16,384 characters
   * encoded).
   */
  readonly script: string;
}

/**
 * A shell script that runs when a Studio JupyterLab or Code Editor app starts. Add it to a
 * domain with `lifecycleConfigs`. CloudFormation replaces the configuration when the script
 * changes; its name is generated, so replacement works.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/studio-lifecycle-configurations.html
 */
export class StudioLifecycleConfig extends Resource implements IStudioLifecycleConfig {
  public readonly studioLifecycleConfigArn: string;
  public readonly appType: StudioAppType;

  constructor(scope: Construct, id: string, props: StudioLifecycleConfigProps) {
    super(scope, id);
    this.appType = props.appType;
    const length = base64Length(props.script);
    const problems: string[] = [];
    if (length !== undefined && (length === 0 || length > MAX_NOTEBOOK_SCRIPT_BASE64_LENGTH)) {
      problems.push(
        `script is ${length} characters base64-encoded, but SageMaker takes 1 to ${MAX_NOTEBOOK_SCRIPT_BASE64_LENGTH}; ` +
          'keep the bulk of the work in a file the script downloads or in the image.',
      );
    }
    throwIfProblems(this, problems);
    const resource = new sagemaker.CfnStudioLifecycleConfig(this, 'Resource', {
      studioLifecycleConfigAppType: props.appType,
      studioLifecycleConfigContent: encodeScript(props.script),
      studioLifecycleConfigName: this.generatedName(props),
    });
    this.studioLifecycleConfigArn = resource.attrStudioLifecycleConfigArn;
  }

  /**
   * The name is required and every property change replaces the resource, so the name carries a
   * hash of the app type and script: a changed script gets a new name and replacement works.
   */
  private generatedName(props: StudioLifecycleConfigProps): string {
    const base = Names.uniqueResourceName(this, { maxLength: 54, separator: '-', allowedSpecialCharacters: '-' }).replace(/^-+|-+$/g, '');
    if (Token.isUnresolved(props.script)) return base;
    const hash = createHash('sha256').update(`${props.appType}\n${props.script}`).digest('hex').slice(0, 8);
    return `${base}-${hash}`;
  }
}
