/**
 * Preloaded into a service (NODE_OPTIONS=--require) by `npm run bench` with BENCH_PROFILE=1: profiles
 * the process from its start and writes the profile to BENCH_PROFILE_DIR/<pid>.cpuprofile on SIGUSR2.
 * Plain JavaScript: the services run compiled, without ts-node.
 */
const { renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Session } = require('node:inspector');

const session = new Session();
session.connect();
session.post('Profiler.enable', () =>
  session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
);
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    // Written aside, then renamed: the bench reads it as soon as it appears.
    const file = join(process.env.BENCH_PROFILE_DIR, `${process.pid}.cpuprofile`);
    writeFileSync(`${file}.part`, JSON.stringify(result.profile));
    renameSync(`${file}.part`, file);
  });
});
