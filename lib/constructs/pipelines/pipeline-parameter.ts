import { Token } from 'aws-cdk-lib';
import { JobReference } from '../jobs';
import { SageMakerConstructError } from '../../private/errors';

/** The types of pipeline parameters. */
export enum ParameterType {
  /** A string. */
  STRING = 'String',
  /** A whole number. */
  INTEGER = 'Integer',
  /** A number. */
  FLOAT = 'Float',
  /** true or false. */
  BOOLEAN = 'Boolean',
}

/**
 * A pipeline parameter: set when an execution starts, used in any field of any step
 * (`param.toString()` in string fields, `param.asNumber()` in numeric ones).
 */
export class PipelineParameter extends JobReference {
  /** A string parameter. */
  public static ofString(name: string, defaultValue?: string): PipelineParameter {
    return new PipelineParameter(name, ParameterType.STRING, defaultValue);
  }

  /** A whole-number parameter. */
  public static ofInteger(name: string, defaultValue?: number): PipelineParameter {
    return new PipelineParameter(name, ParameterType.INTEGER, defaultValue);
  }

  /** A number parameter. */
  public static ofFloat(name: string, defaultValue?: number): PipelineParameter {
    return new PipelineParameter(name, ParameterType.FLOAT, defaultValue);
  }

  /** A boolean parameter. */
  public static ofBoolean(name: string, defaultValue?: boolean): PipelineParameter {
    return new PipelineParameter(name, ParameterType.BOOLEAN, defaultValue);
  }

  // The names before the jsii build: `string`, `float` and `boolean` are reserved words in
  // Java, C# or Go, so the jsii API has the `of*` names; TypeScript keeps these aliases.

  /**
   * TypeScript alias of {@link PipelineParameter.ofString}.
   * @jsii ignore
   */
  public static string(name: string, defaultValue?: string): PipelineParameter {
    return PipelineParameter.ofString(name, defaultValue);
  }

  /**
   * TypeScript alias of {@link PipelineParameter.ofInteger}.
   * @jsii ignore
   */
  public static integer(name: string, defaultValue?: number): PipelineParameter {
    return PipelineParameter.ofInteger(name, defaultValue);
  }

  /**
   * TypeScript alias of {@link PipelineParameter.ofFloat}.
   * @jsii ignore
   */
  public static float(name: string, defaultValue?: number): PipelineParameter {
    return PipelineParameter.ofFloat(name, defaultValue);
  }

  /**
   * TypeScript alias of {@link PipelineParameter.ofBoolean}.
   * @jsii ignore
   */
  public static boolean(name: string, defaultValue?: boolean): PipelineParameter {
    return PipelineParameter.ofBoolean(name, defaultValue);
  }

  public readonly isNumeric: boolean;

  private constructor(
    /** The parameter name. */
    public readonly name: string,
    /** The parameter type. */
    public readonly parameterType: ParameterType,
    // Kept private: a union is not jsii-friendly; the declaration renders it.
    private readonly defaultValue?: string | number | boolean,
  ) {
    super();
    this.isNumeric = parameterType === ParameterType.INTEGER || parameterType === ParameterType.FLOAT;
    // Parameter Name: ^[A-Za-z0-9\-_]*$, at most 256 characters.
    // https://aws-sagemaker-mlops.github.io/sagemaker-model-building-pipeline-definition-JSON-schema/
    const problems: string[] = [];
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9\-_]{1,256}$/.test(name)) {
      problems.push(`the name "${name}" (${name.length} characters) must be 1-256 letters, digits, "-" or "_"; rename the parameter, e.g. "${name.replace(/[^A-Za-z0-9\-_]/g, '_').slice(0, 256) || 'Parameter'}".`);
    }
    if (parameterType === ParameterType.INTEGER && typeof defaultValue === 'number' && !Number.isInteger(defaultValue)) {
      problems.push(`the integer parameter has default ${defaultValue}, which is not a whole number; use PipelineParameter.ofFloat or a whole number.`);
    }
    if (problems.length === 1) throw new SageMakerConstructError(`Pipeline parameter "${name}": ${problems[0]}`);
    if (problems.length > 1) throw new SageMakerConstructError(`Pipeline parameter "${name}": ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  public get description(): string {
    return `parameter ${this.name}`;
  }

  /**
   * The parameter's declaration in the pipeline definition.
   * @internal
   */
  public _renderDeclaration(): Record<string, unknown> {
    return { Name: this.name, Type: this.parameterType, ...(this.defaultValue !== undefined ? { DefaultValue: this.defaultValue } : {}) };
  }
}
