import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';

/** One violation reported by cdk-nag or CloudFormation's own validation. */
export interface ValidationFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructPath: string;
  readonly description: string;
}

interface ReportViolation {
  ruleName: string;
  description: string;
  severity?: string;
  violatingConstructs?: Array<{ constructPath: string }>;
}

interface Report {
  pluginReports: Array<{ pluginName: string; violations: ReportViolation[] }>;
}

/**
 * Adds the three cdk-nag packs (AwsSolutions, HIPAA Security, NIST 800-53 R5) to `app`, the
 * cdk-nag 3 way (`Validations.of(app).addPlugins`). Call it before adding constructs is fine:
 * plugins run at synth.
 */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app));
}

/**
 * Synthesizes `app` with the three nag packs (unless already added) and returns every
 * unacknowledged finding, including CloudFormation schema findings. An empty list means clean.
 */
export function validationFindings(app: App, options: { addPacks?: boolean } = {}): ValidationFinding[] {
  if (options.addPacks ?? true) {
    addNagPacks(app);
  }
  const outdir = app.outdir;
  const reportFile = path.join(outdir, 'validation-report.json');
  // The report is printed to the console by synth as well; keep test output readable.
  const error = console.error;
  const log = console.log;
  console.error = () => undefined;
  console.log = () => undefined;
  try {
    app.synth({ force: true });
  } catch (e) {
    if (!fs.existsSync(reportFile)) {
      throw e;
    }
  } finally {
    console.error = error;
    console.log = log;
  }
  if (!fs.existsSync(reportFile)) {
    return [];
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf-8')) as Report;
  const findings: ValidationFinding[] = [];
  for (const plugin of report.pluginReports) {
    for (const violation of plugin.violations) {
      for (const construct of violation.violatingConstructs ?? [{ constructPath: '(unknown)' }]) {
        findings.push({
          plugin: plugin.pluginName,
          rule: violation.ruleName,
          severity: violation.severity ?? 'error',
          constructPath: construct.constructPath,
          description: violation.description,
        });
      }
    }
  }
  return findings;
}

/** Formats findings one per line, grouped so a failing test reads like a to-do list. */
export function formatFindings(findings: ValidationFinding[]): string {
  return findings
    .map((f) => `- [${f.plugin}] ${f.rule} (${f.severity}) at ${f.constructPath}: ${f.description}`)
    .sort()
    .join('\n');
}

/**
 * Fails (throws) with a readable list when `app` has any unacknowledged nag or CloudFormation
 * schema finding of severity error or warning.
 */
export function expectNagClean(app: App): void {
  const findings = validationFindings(app);
  if (findings.length > 0) {
    throw new Error(`Expected no unacknowledged validation findings, got ${findings.length}:\n${formatFindings(findings)}`);
  }
}

/** Every stack of `app`, for running the IAM check over each. */
export function stacksOf(app: App): Stack[] {
  return app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}
