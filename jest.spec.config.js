/**
 * Runs spec files on their own (`npm run test:spec -- test/unit/hosting/endpoint.spec.ts`):
 * `npm test` runs them inside their folder's suite (test/helpers/specs.ts).
 * @type {import('jest').Config}
 */
module.exports = { ...require('./jest.config'), testMatch: ['**/*.spec.ts'] };
