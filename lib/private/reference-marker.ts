// The string a job reference (a pipeline parameter, a step property, a value read from a report)
// stands as inside job definitions, until a runner renders it. It is not a CDK token, so
// `Token.isUnresolved` does not see it. Owned by lib/constructs/jobs/job-reference.ts; lib/private
// reads it to let references pass validation. Not exported.

/** The marker of reference number `id`. */
export function referenceMarker(id: number): string {
  return `{{smcdk-ref:${id}}}`;
}

/** A new regular expression matching markers (`global` for matchAll). */
export function referenceMarkerPattern(global = false): RegExp {
  return new RegExp('\\{\\{smcdk-ref:\\d+\\}\\}', global ? 'g' : '');
}
