import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'sagemaker-cdk-constructs';

function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf-8')) as { name?: string }).name;
      if (name === PACKAGE_NAME) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`Cannot find the ${PACKAGE_NAME} package root above ${__dirname}.`);
    }
    dir = parent;
  }
}

/**
 * The directory holding a custom-resource handler compiled by `npm run build:handlers`
 * (tsc over `lib/** /handlers/*.ts` into `build/handlers`, keeping the folder layout below lib/).
 * Lambda runs the compiled JavaScript; nothing is bundled or built at synth time.
 *
 * @param libRelativeDir the handler's folder relative to lib/, e.g. `constructs/studio/handlers`
 */
export function handlerAssetDirectory(libRelativeDir: string): string {
  const dir = path.join(packageRoot(), 'build', 'handlers', libRelativeDir);
  if (!fs.existsSync(dir)) {
    throw new Error(
      `The compiled custom-resource handler folder ${dir} is missing. Run "npm run build:handlers" ` +
        '(npm ci and npm install run it for you through the "prepare" script).',
    );
  }
  return dir;
}
