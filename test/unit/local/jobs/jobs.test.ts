// Every *.spec.ts under this folder runs in this one Jest suite (see test/helpers/specs.ts): the job
// executors start Python processes, so they run apart from the rest of test/unit/local, on the other
// Jest worker.
import { includeSpecs } from '../../../helpers/specs';

includeSpecs(__dirname);
