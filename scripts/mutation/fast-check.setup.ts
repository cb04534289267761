import fc from 'fast-check';

// A property that fails under a mutant has done its job: stop at the first counterexample
// instead of shrinking it, which can outlast the mutant's timeout on a busy machine.
fc.configureGlobal({ endOnFailure: true });
