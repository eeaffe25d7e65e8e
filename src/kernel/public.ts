// The `kernel` namespace of the package entry: the model's functions and the state readers, each
// behind its argument checks (checked.ts). A module of its own so that the entry re-exports it as
// a live binding (see src/index.ts on the order of evaluation).
import * as kernelApi from './api.js';
import { checkedKernel } from './checked.js';
import { patchable } from './patchable.js';

/**
 * The model's kernel functions and state readers, each checking its arguments (a scenario's calls);
 * a patchable function is called through the run's table (a patch's replacement, if it has one).
 */
export const kernel: typeof kernelApi = checkedKernel(kernelApi, patchable);
