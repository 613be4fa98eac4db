/**
 * A Jest test environment that shares aws-cdk-lib's CloudFormation validator across the test files
 * of a Jest worker (see ./shared-validator for why and how). It is Jest's Node environment
 * otherwise. Use it with the module mapping of ./cloudformation-validate:
 *
 * ```js
 * // jest.config.js
 * testEnvironment: 'sagemaker-cdk-constructs/dist/lib/testing/jest/environment',
 * moduleNameMapper: {
 *   '^@aws/cloudformation-validate$': 'sagemaker-cdk-constructs/dist/lib/testing/jest/cloudformation-validate',
 * },
 * ```
 *
 * It extends the `jest-environment-node` that the project's Jest installs.
 */
import type * as NodeEnvironment from 'jest-environment-node';
import { SHARED_VALIDATOR_GLOBAL, addSearchPath, sharedValidatorModule } from './shared-validator';

/**
 * The project's own jest-environment-node (its Jest's), else the one beside this package. Package
 * managers that do not hoist Jest's dependencies (pnpm) need it as a dev dependency of the project.
 */
function nodeEnvironment(): typeof NodeEnvironment {
  let resolved: string;
  try {
    resolved = require.resolve('jest-environment-node', { paths: [process.cwd(), __dirname] });
  } catch {
    throw new Error(
      "sagemaker-cdk-constructs' Jest environment extends jest-environment-node, which is not installed where it can be found: " +
        'add jest-environment-node (the version of your Jest) to your devDependencies.',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path resolved at run time
  return require(resolved) as typeof NodeEnvironment;
}

const { TestEnvironment } = nodeEnvironment();

/** Jest's Node environment, plus the worker-wide CloudFormation validator. */
class SharedValidatorEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    addSearchPath(args[0].projectConfig.rootDir);
    this.global[SHARED_VALIDATOR_GLOBAL] = sharedValidatorModule;
  }
}

export = SharedValidatorEnvironment;
