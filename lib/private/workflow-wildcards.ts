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
