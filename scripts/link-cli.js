// npm puts the bins of dependencies on node_modules/.bin, never the root package's own. In a
// checkout, link `sagemaker-cdk` there so `npx sagemaker-cdk ...` runs this repository's CLI after
// `npm ci` (and never fetches a package of that name from the registry). Installed as a
// dependency, the package has no node_modules/.bin of its own and this does nothing.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const binDir = path.join(root, 'node_modules', '.bin');
if (fs.existsSync(binDir)) {
  const link = path.join(binDir, 'sagemaker-cdk');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(binDir, path.join(root, 'bin', 'sagemaker-cdk.js')), link);
}
