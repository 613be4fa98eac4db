/**
 * Wildcard resources a workflow state or fragment puts in the statements it asks the workflow's
 * role for (job names Step Functions generates at run time, objects named by each execution's
 * input), with the reason. The state declares them; `MlWorkflow` acknowledges exactly these ARNs
 * on its own role when it grants the statements, so the acknowledgement covers that role only.
 */
export interface DeclaredWildcards {
  readonly resources: string[];
  readonly reason: string;
}

const DECLARED = new WeakMap<object, DeclaredWildcards[]>();

/** Records that `holder`'s policy statements name `resources` (each holding a `*`), for `reason`. */
export function declareWorkflowWildcards(holder: object, resources: string[], reason: string): void {
  const list = DECLARED.get(holder) ?? [];
  list.push({ resources, reason });
  DECLARED.set(holder, list);
}

/** What `holder` declared with {@link declareWorkflowWildcards}. */
export function declaredWorkflowWildcards(holder: object): DeclaredWildcards[] {
  return DECLARED.get(holder) ?? [];
}

/** Why the job and model name patterns of the SageMaker workflow states are wildcards. */
export const GENERATED_NAMES_REASON =
  'Step Functions names the jobs and models of a state at run time from the execution name ("<execution name>-<state name>", "<state name>-<hash>", or for tuning jobs, at most 32 characters, an MD5 hash of it with no fixed part); the role may act only on jobs of that kind and, where the name has one, the state\'s fixed part.';
