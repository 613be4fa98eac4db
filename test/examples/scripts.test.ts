import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const SCRIPTS = path.join(__dirname, '..', '..', 'examples', 'scripts');
const SAMPLE = path.join(__dirname, '..', '..', 'examples', 'data', 'loan_default_sample.csv');

function python(args: string[]): string {
  return execFileSync('python3', args, { encoding: 'utf-8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
}

describe('example scripts', () => {
  test('every script the example stacks run is valid Python', () => {
    const scripts = ['generate_data.py', 'preprocess.py', 'evaluate.py', 'pytorch/train.py', 'pytorch/inference.py', 'pytorch/evaluate.py'];
    // compile() only: the ML libraries live in the SageMaker containers, not here. One interpreter
    // for all of them (a python3 found through a version manager's shim starts in about 0.8 s); a
    // syntax error names its file.
    python(['-c', `import sys\nfor f in sys.argv[1:]: compile(open(f).read(), f, 'exec')`, ...scripts.map((script) => path.join(SCRIPTS, script))]);
  });

  test('the committed sample is exactly what the generator writes for seed 42', () => {
    const generated = python([path.join(SCRIPTS, 'generate_data.py'), '--rows', '500', '--seed', '42']);
    expect(generated).toBe(fs.readFileSync(SAMPLE, 'utf-8'));
  });

  test('the sample has the expected columns and a plausible default rate', () => {
    const lines = fs.readFileSync(SAMPLE, 'utf-8').trim().split('\n');
    expect(lines[0].split(',')).toEqual([
      'customer_id', 'age', 'annual_income', 'loan_amount', 'loan_term_months', 'interest_rate',
      'credit_score', 'employment_years', 'debt_to_income', 'home_ownership', 'purpose', 'default',
    ]);
    const defaults = lines.slice(1).map((l) => Number(l.split(',').pop()));
    const rate = defaults.reduce((a, b) => a + b, 0) / defaults.length;
    expect(lines).toHaveLength(501);
    expect(rate).toBeGreaterThan(0.05);
    expect(rate).toBeLessThan(0.5);
  });

  test('the generator rejects a non-positive row count', () => {
    expect(() => execFileSync('python3', [path.join(SCRIPTS, 'generate_data.py'), '--rows', '0'], { stdio: 'pipe' })).toThrow(/--rows must be at least 1/);
  });
});
