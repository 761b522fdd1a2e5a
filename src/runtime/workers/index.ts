// Worker processes shared by the capabilities that run untrusted work outside the host (the sandbox's isolates,
// document parsing): starting, pooling, replacing and killing them, and the worker's own link to its parent.
export { ChildWorker, type ChildLaunch, type ChildDeath } from './child.ts';
export { ProcessPool, type PoolOptions } from './pool.ts';
export { linkToParent, type ParentLink } from './child-side.ts';
export { workerEntry } from './entry.ts';
