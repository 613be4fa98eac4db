// Every *.spec.ts under this folder runs in this one Jest suite (see test/helpers/specs.ts), except
// those of jobs/, which run in their own suite (jobs/jobs.test.ts) so both Jest workers share the
// Python-heavy specs.
import { includeSpecs } from '../../helpers/specs';

includeSpecs(__dirname, { exclude: ['jobs'] });
