import path from 'node:path';
import { repoRoot } from './infra';

// The stack runner's (tools/stack/stack.cjs, plain CommonJS so `npm start` needs no build), so the
// repository has one. tools/ is no Nx project: loaded by path at run time, typed by stack.d.cts.
type StackModule = typeof import('../../../tools/stack/stack.cjs');
const stack: StackModule = require(path.join(repoRoot, 'tools', 'stack', 'stack.cjs'));

/** A port nobody listens on right now (on 127.0.0.1). */
export const freePort: StackModule['freePort'] = stack.freePort;
