// Shared set-up of the local job executor tests.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalObjectStore } from '../../../../lib/local/object-store';
import type { LocalJobContext } from '../../../../lib/local/jobs/types';
import { localCpus } from '../../../../lib/local/local-runner';

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'local-jobs');
export const PYTHON = process.env.SM_LOCAL_TEST_PYTHON ?? '/usr/bin/python3';

let pythonReady: string | undefined | null = null;

// Finds the packages without importing them: importing them all (torch, xgboost, sklearn, pandas)
// took 3.5-4.5 s of CPU per suite, about what a whole job takes; a broken install still fails the
// jobs that import it, with the import error.
const FIND_PACKAGES = 'import importlib.util, sys\n'
  + 'missing = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]\n'
  + 'sys.exit("missing: " + ", ".join(missing) if missing else 0)';

/** Why the Python tests can't run here (undefined when they can). Probed once per suite. */
export function pythonUnavailable(): string | undefined {
  if (pythonReady !== null) return pythonReady;
  const r = spawnSync(PYTHON, ['-c', FIND_PACKAGES, 'xgboost', 'torch', 'sklearn', 'pandas', 'numpy'], { encoding: 'utf8' });
  const unshare = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', '/bin/true']);
  const unshareUser = spawnSync('unshare', ['--user', '--map-root-user', '--mount', '--', '/bin/true']);
  if (r.status !== 0) pythonReady = `${PYTHON} does not have xgboost, torch, sklearn, pandas and numpy: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
  else if (unshare.status !== 0 && unshareUser.status !== 0) pythonReady = 'unshare --mount does not work here';
  else pythonReady = undefined;
  return pythonReady;
}

/**
 * `describe` when Python and namespaces are available; otherwise a visible skip (outside CI) or a
 * failing test (in CI).
 */
export function describeWithPython(name: string, fn: () => void): void {
  const why = pythonUnavailable();
  if (!why) {
    describe(name, fn);
  } else if (process.env.CI) {
    describe(name, () => {
      test('needs python3 with xgboost, torch, sklearn, pandas and unshare', () => {
        throw new Error(why);
      });
    });
  } else {
    console.warn(`SKIPPED ${name}: ${why}`);
    describe.skip(name, fn);
  }
}

let models: string | undefined;

/**
 * The models of test/fixtures/local-jobs/make_models.py (xgb/xgboost-model written with
 * save_model, torch/model.pth, sklearn/model.joblib + code/predict.py), made once per suite: the
 * script imports torch, xgboost and sklearn, 3-4 s per run. Shared by the specs of the suite, so
 * read-only: copy what you change.
 */
export function sharedModels(): string {
  if (models) return models;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-local-models-'));
  const r = spawnSync(PYTHON, [path.join(FIXTURES, 'make_models.py'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make_models.py failed: ${r.stderr}`);
  models = dir;
  return dir;
}

/** A fresh store and context under a temp directory. */
export function makeContext(runId = 'run1', jobName = 'pipelines-run1-Job-abc123'): LocalJobContext & { lines: string[]; tmp: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-local-jobs-'));
  return newJobContext(new LocalObjectStore(path.join(tmp, 's3')), tmp, runId, jobName);
}

let counter = 0;
/** Another job's context on the same store. */
export function newJobContext(store: LocalObjectStore, tmp: string, runId: string, jobName: string): LocalJobContext & { lines: string[]; tmp: string } {
  const lines: string[] = [];
  const workDir = path.join(tmp, `work-${++counter}`);
  fs.mkdirSync(workDir, { recursive: true });
  return {
    store, workDir, jobName, python: PYTHON, runId, account: '111122223333', region: 'us-east-1', cpus: localCpus(),
    log: (l: string) => lines.push(l), lines, tmp,
  };
}

export const XGB_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
export const SKLEARN_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
export const PYTORCH_TRAINING_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-cpu-py39';
export const PYTORCH_INFERENCE_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:1.13.1-cpu-py39';

/** A deterministic binary classification CSV (label first, no header): label = x0 + x1 > 1. */
export function classificationCsv(rows: number, seed: number, features = 4): string {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: features }, () => Number(rnd().toFixed(4)));
    const noisy = rnd() < 0.1;
    const label = (x[0] + x[1] > 1) !== noisy ? 1 : 0;
    out.push([label, ...x].join(','));
  }
  return out.join('\n') + '\n';
}
