import { IConstruct } from 'constructs';

/**
 * What a construct renders that a dependent resource must follow: for a model, its container
 * definitions. An endpoint hashes its models' fingerprints into its endpoint config's logical id,
 * so a model change creates a new endpoint config (and updates the endpoint in place).
 */
const fingerprints = new WeakMap<IConstruct, unknown>();

/** Records what `construct` renders. */
export function setFingerprint(construct: IConstruct, rendered: unknown): void {
  fingerprints.set(construct, rendered);
}

/** What `construct` renders, or undefined for constructs that record nothing (imports). */
export function fingerprintOf(construct: IConstruct): unknown {
  return fingerprints.get(construct);
}
