import { IResolvable, IResolveContext, Token, Tokenization } from 'aws-cdk-lib';
import { referenceMarker, referenceMarkerPattern } from '../../private/reference-marker';

let counter = 0;
const registry = new Map<string, JobReference>();

/**
 * A value a job definition does not know when it is defined: a pipeline parameter, another
 * step's output, a value read from an evaluation report. Job definitions embed it like any
 * string or number; each runner renders it in its own language (SageMaker Pipelines renders
 * `{"Get": ...}`), so the same definition serves every runner.
 */
export abstract class JobReference {
  /**
   * Finds the references in a rendered string: literal text and references, in order. Plumbing
   * for the runners' renderers (its result mixes strings and references, which jsii cannot type).
   * @internal
   */
  public static _split(text: string): Array<string | JobReference> {
    const parts: Array<string | JobReference> = [];
    let last = 0;
    for (const match of text.matchAll(referenceMarkerPattern(true))) {
      if (match.index! > last) parts.push(text.slice(last, match.index));
      parts.push(registry.get(match[0]) as JobReference);
      last = match.index! + match[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  }

  /**
   * The reference a numeric field holds (a number made by `asNumber()`), or undefined for any
   * other number (literals and CloudFormation tokens).
   */
  public static fromNumber(value: number): JobReference | undefined {
    if (!Token.isUnresolved(value)) return undefined;
    const resolvable = Tokenization.reverseNumber(value);
    return resolvable instanceof MarkerValue ? registry.get(resolvable.marker) : undefined;
  }

  /** True when the string holds at least one reference. */
  public static holdsReference(text: string): boolean {
    return referenceMarkerPattern().test(text);
  }

  private readonly marker: string;

  protected constructor() {
    this.marker = referenceMarker(counter++);
    registry.set(this.marker, this);
  }

  /** What the value is, for error messages (e.g. `parameter TrainInstanceCount`). */
  public abstract readonly description: string;

  /** True for references that hold numbers (usable where a request wants a number). */
  public abstract readonly isNumeric: boolean;

  /** The reference as a string, to put in any string field of a job definition. */
  public toString(): string {
    return this.marker;
  }

  /** The reference as a number, to put in a numeric field (instance count, max runtime, ...). */
  public asNumber(): number {
    return Token.asNumber(new MarkerValue(this.marker));
  }
}

/** Resolves to the marker string, so numeric fields carry it through `stack.resolve`. */
class MarkerValue implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(public readonly marker: string) {}
  public resolve(_context: IResolveContext): string {
    return this.marker;
  }
  public toString(): string {
    return this.marker;
  }
}
