#!/usr/bin/env node
// The `sagemaker-cdk` command. An installed package runs its compiled CLI (dist/); a checkout
// without a build runs the TypeScript sources through tsx (a dev dependency), so the command
// works right after `npm ci` (scripts/link-cli.js puts it on node_modules/.bin for npx).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'cli', 'main.js');
if (fs.existsSync(built)) {
  require(built);
} else {
  const { spawnSync } = require('child_process');
  let tsx;
  try {
    tsx = require.resolve('tsx/cli', { paths: [root] });
  } catch {
    process.stderr.write('sagemaker-cdk: neither dist/cli/main.js (run `npm run build`) nor tsx (run `npm ci`) is present.\n');
    process.exit(2);
  }
  const result = spawnSync(process.execPath, [tsx, path.join(root, 'cli', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status === null ? 1 : result.status);
}
