import * as v8 from 'v8';
import * as vm from 'vm';

// V8's garbage collector, exposed at run time (the bench runs under tsx, without node flags).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * Collects the garbage of earlier runs now, so that it is not collected during the next measured
 * one. For differences of two sizes (the marginal cost per endpoint): V8 may also drop the bytecode
 * of functions unused for a while at a full collection, a fixed cost that cancels in a difference
 * but not in a ratio of two case timings, which therefore do without it.
 */
export function collectGarbage(): void {
  gc();
}
