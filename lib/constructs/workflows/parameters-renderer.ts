// Turns a rendered SageMaker request (literals, CDK tokens and job references) into the
// Parameters of a Step Functions task state. Not exported from the barrel.
import { IResolvable, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { JobOutputReference, JobReference, RunReference } from '../jobs';
import { validationError } from '../../private/errors';

/** How the renderer finds earlier states' results. */
export interface ResultLookup {
  /** The JSONPath of the result of the state that ran the job at `jobPath` before this state, if any. */
  resultPathOfJob(jobPath: string): string | undefined;
}

/** A rendered value: static JSON, or a JSONPath / intrinsic-function expression (a `.$` key). */
interface Rendered {
  readonly value?: unknown;
  readonly expression?: string;
}

/** One piece of a string: text (literal or CDK token text) or a JSONPath. */
type Piece = { readonly text: string; readonly token: boolean } | { readonly path: string };

const TOKEN_TEXT = /\$\{Token\[[^\]]+\]\}/g;
/** Simple dotted property paths (`ModelArtifacts.S3ModelArtifacts`) that JSONPath can follow as they are. */
const DOTTED_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

function isDynamic(rendered: Rendered): boolean {
  return rendered.expression !== undefined;
}

/** Escapes the characters intrinsic-function string literals reserve. */
function escapeLiteral(text: string): string {
  return text.replace(/[\\'{}]/g, (c) => `\\${c}`);
}

/** Text split into literal and CDK-token pieces (token text is kept as is, to resolve later). */
function textPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN_TEXT)) {
    if (match.index! > last) pieces.push({ text: text.slice(last, match.index), token: false });
    pieces.push({ text: match[0], token: true });
    last = match.index! + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), token: false });
  return pieces;
}

/** The marker text of a job reference token, if the token is one. */
function markerOf(token: IResolvable | undefined): string | undefined {
  if (!token) return undefined;
  const text = token.toString();
  return JobReference.holdsReference(text) ? text : undefined;
}

class ParametersRenderer {
  constructor(
    private readonly scope: IConstruct,
    private readonly lookup: ResultLookup,
  ) {}

  public render(value: unknown): Rendered {
    if (typeof value === 'string') return this.renderString(value);
    if (typeof value === 'number') return this.renderNumber(value);
    if (Array.isArray(value)) return this.renderArray(value);
    if (value !== null && typeof value === 'object' && !Token.isUnresolved(value)) return { value: this.renderObject(value as Record<string, unknown>) };
    return { value };
  }

  public renderObject(object: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(object)) {
      if (child === undefined) continue;
      const rendered = this.render(child);
      if (isDynamic(rendered)) result[`${key}.$`] = rendered.expression;
      else result[key] = rendered.value;
    }
    return result;
  }

  private reference(reference: JobReference): Piece[] {
    // The execution name is unique per execution of the state machine (job names derive from it too).
    if (reference instanceof RunReference) return [{ path: '$$.Execution.Name' }];
    if (!(reference instanceof JobOutputReference)) {
      throw validationError(
        this.scope,
        `the job uses ${reference.description}, which Step Functions cannot render: it exists only in SageMaker Pipelines. ` +
          'Use a static value, an S3 location, or another job\'s output instead.',
      );
    }
    const output = reference.output;
    const resultPath = this.lookup.resultPathOfJob(output.job.node.path);
    if (resultPath && DOTTED_PATH.test(output.propertyPath)) return [{ path: `${resultPath}.${output.propertyPath}` }];
    // The producer is not an earlier state of this workflow, or its Describe output holds the
    // configured location (processing outputs): read the location the job is configured to write.
    return textPieces(output.staticUri);
  }

  private piecesOf(text: string): Piece[] {
    const pieces: Piece[] = [];
    for (const piece of textPieces(text)) {
      if ('text' in piece && piece.token) {
        const marker = markerOf(Tokenization.reverseString(piece.text).firstToken);
        if (marker) {
          pieces.push(...this.piecesOf(marker));
          continue;
        }
        pieces.push(piece);
      } else if ('text' in piece && JobReference.holdsReference(piece.text)) {
        for (const part of JobReference._split(piece.text)) {
          if (typeof part === 'string') pieces.push({ text: part, token: false });
          else pieces.push(...this.reference(part));
        }
      } else {
        pieces.push(piece);
      }
    }
    return pieces;
  }

  private renderString(value: string): Rendered {
    if (!JobReference.holdsReference(value) && !Token.isUnresolved(value)) return { value };
    const pieces = this.piecesOf(value);
    const paths = pieces.filter((p): p is { path: string } => 'path' in p);
    if (paths.length === 0) return { value: pieces.map((p) => ('text' in p ? p.text : '')).join('') };
    if (pieces.length === 1) return { expression: paths[0].path };
    const template = pieces.map((p) => ('path' in p ? '{}' : p.token ? p.text : escapeLiteral(p.text))).join('');
    return { expression: `States.Format('${template}', ${paths.map((p) => p.path).join(', ')})` };
  }

  private renderNumber(value: number): Rendered {
    if (!Token.isUnresolved(value)) return { value };
    const marker = markerOf(Tokenization.reverseNumber(value));
    if (marker) return this.renderString(marker);
    return { value };
  }

  private renderArray(values: unknown[]): Rendered {
    const rendered = values.map((v) => this.render(v));
    if (!rendered.some(isDynamic)) return { value: rendered.map((r) => r.value) };
    const items = rendered.map((r) => {
      if (isDynamic(r)) return r.expression as string;
      if (typeof r.value !== 'string') {
        throw validationError(this.scope, 'a list that holds a value known only at run time may hold only strings; Step Functions builds it with States.Array.');
      }
      return `'${textPieces(r.value).map((p) => ('text' in p && !p.token ? escapeLiteral(p.text) : (p as { text: string }).text)).join('')}'`;
    });
    return { expression: `States.Array(${items.join(', ')})` };
  }
}

/**
 * Renders a request as task-state Parameters: references to outputs of earlier states become
 * JSONPaths (keys ending in `.$`), other job outputs their configured S3 URI; CDK tokens stay
 * for CloudFormation to substitute. References only SageMaker Pipelines knows throw.
 */
export function renderParameters(scope: IConstruct, request: object, lookup: ResultLookup): Record<string, unknown> {
  return new ParametersRenderer(scope, lookup).renderObject(request as Record<string, unknown>);
}
