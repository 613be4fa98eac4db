// Every *.spec.ts under this folder runs in this one Jest suite (see test/helpers/specs.ts).
import { includeSpecs } from '../../helpers/specs';

includeSpecs(__dirname);
