// aws-cdk-lib prints the validation report with console.error at every synth whose report is not
// empty, including warnings a test provokes on purpose (an imported log bucket, a role it cannot
// change). Tests read findings through Annotations.fromStack(...) and validationFindings(app), so
// only that printout is dropped here; report errors still throw, and any other console output shows.
const printError = console.error;
console.error = (...args: unknown[]): void => {
  if (args.some((arg) => typeof arg === 'string' && arg.includes('A copy of this report can be found in:'))) return;
  printError(...args);
};
