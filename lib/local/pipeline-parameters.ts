/**
 * Pipeline parameters: their declared types and defaults, and the values given for a run
 * (as StartPipelineExecution's `PipelineParameters`, name → string).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-parameters.html
 */
import { type PipelineParameterDeclaration } from './pipeline-definition';

/** The parameter types of the definition language. */
export const PARAMETER_TYPES = ['String', 'Integer', 'Float', 'Boolean'] as const;

/** A parameter value as references see it. */
export type ParameterValue = string | number | boolean;

/** Bad parameters given for a run (an unknown name, a value of the wrong type, a missing value). */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

/**
 * The values of every declared parameter: the override when given, else the default.
 *
 * @param declared the definition's `Parameters`
 * @param overrides values by name, as strings (converted and checked against the declared type)
 * @throws ParameterError naming every problem at once, and the declared parameters
 */
export function resolveParameters(
  declared: readonly PipelineParameterDeclaration[] | undefined,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, ParameterValue> {
  const declarations = declared ?? [];
  const problems: string[] = [];
  const values: Record<string, ParameterValue> = {};
  for (const name of Object.keys(overrides)) {
    if (!declarations.some((d) => d.Name === name)) problems.push(`"${name}" is not a parameter of the pipeline`);
  }
  for (const declaration of declarations) {
    const type = declaration.Type ?? 'String';
    if (!PARAMETER_TYPES.includes(type as (typeof PARAMETER_TYPES)[number])) {
      problems.push(`parameter ${declaration.Name} has type ${type}, which is not one of ${PARAMETER_TYPES.join(', ')}`);
      continue;
    }
    const given = overrides[declaration.Name];
    if (given !== undefined) {
      const converted = convert(given, type);
      if (converted === undefined) problems.push(`${declaration.Name}=${JSON.stringify(given)} is not a valid ${type}${hint(type)}`);
      else if (declaration.EnumValues && !declaration.EnumValues.includes(converted)) {
        problems.push(`${declaration.Name}=${JSON.stringify(given)} is not one of its allowed values ${JSON.stringify(declaration.EnumValues)}`);
      } else values[declaration.Name] = converted;
    } else if (declaration.DefaultValue !== undefined) {
      const converted = typeof declaration.DefaultValue === 'string' || typeof declaration.DefaultValue === 'number' || typeof declaration.DefaultValue === 'boolean'
        ? convert(String(declaration.DefaultValue), type)
        : undefined;
      if (converted === undefined) problems.push(`parameter ${declaration.Name} has default ${JSON.stringify(declaration.DefaultValue)}, not a valid ${type}`);
      else values[declaration.Name] = converted;
    } else {
      problems.push(`parameter ${declaration.Name} has no default, so it needs a value (--param ${declaration.Name}=<${type}>)`);
    }
  }
  if (problems.length > 0) {
    throw new ParameterError(`Invalid pipeline parameters: ${problems.join('; ')}. Declared parameters: ${describeParameters(declarations)}.`);
  }
  return values;
}

/** `AucThreshold (Float, default 0.7), Mode (String)`, or `none`. */
export function describeParameters(declared: readonly PipelineParameterDeclaration[]): string {
  if (declared.length === 0) return 'none';
  return declared
    .map((d) => `${d.Name} (${d.Type ?? 'String'}${d.DefaultValue !== undefined ? `, default ${JSON.stringify(d.DefaultValue)}` : ''})`)
    .join(', ');
}

function convert(text: string, type: string): ParameterValue | undefined {
  switch (type) {
    case 'Integer':
      return /^[-+]?\d+$/.test(text.trim()) ? Number(text) : undefined;
    case 'Float':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
    case 'Boolean':
      return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : undefined;
    default:
      return text;
  }
}

function hint(type: string): string {
  if (type === 'Integer') return ' (a whole number such as 5)';
  if (type === 'Float') return ' (a number such as 0.75)';
  if (type === 'Boolean') return ' (true or false)';
  return '';
}
