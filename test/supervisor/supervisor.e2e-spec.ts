import { alive, health, startSupervisedSystem, until, type SupervisedSystem } from '../supervised-system';

/**
 * `npm start` for real: the supervisor runs the four compiled services against the running
 * broker, Keycloak and DATABASE_URL (databases sangam_test_supervisor_*, ports of its own), one
 * service is SIGKILLed and must answer /health again while the others keep answering, then
 * SIGINT to the supervisor must end every child. Children are found through the status file.
 */
describe('npm start supervises the services', () => {
  let system: SupervisedSystem | undefined;

  // Whatever happened, nothing this test started outlives it.
  afterAll(() => system?.cleanUp());

  it('restarts a killed service while the others keep answering, and SIGINT ends every child', async () => {
    system = await startSupervisedSystem('sangam_test_supervisor');
    const { ports, status, processOf, pidsSeen, supervisor, exited } = system;

    try {
      const up = await until(
        'the four services and the console to be up',
        () => status()?.processes.every((p) => p.state === 'up') && status(),
        90_000,
      );
      expect(up.processes.map((p) => p.name)).toEqual(['groups', 'lending', 'bank-linkage', 'reporting', 'console']);

      // The others are asked every 300 ms while the victim is dead and restarting.
      const victim = 'groups';
      const others = (Object.keys(ports) as (keyof typeof ports)[]).filter((name) => name !== victim);
      const answers: { name: string; status: number }[] = [];
      let watching = true;
      const watch = (async () => {
        while (watching) {
          const round = await Promise.all(others.map(async (name) => ({ name, status: await health(ports[name]) })));
          answers.push(...round);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      })();

      const killedPid = processOf(victim)!.pid!;
      process.kill(killedPid, 'SIGKILL');
      const back = await until(
        `${victim} to be restarted and up`,
        () => {
          const p = processOf(victim);
          return p?.state === 'up' && p.pid !== killedPid && p;
        },
        90_000,
      );
      expect(back).toMatchObject({ restarts: 1, lastExit: { signal: 'SIGKILL' } });
      expect(await health(ports[victim])).toBe(200);
      expect(system.stderr()).toContain(`${victim} exited unexpectedly (signal SIGKILL)`);
      watching = false;
      await watch;

      expect(answers.length).toBeGreaterThan(others.length * 5);
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      expect(
        status()!
          .processes.filter((p) => p.name !== victim)
          .map((p) => [p.pid, p.restarts]),
      ).toEqual(up.processes.filter((p) => p.name !== victim).map((p) => [p.pid, 0]));

      supervisor.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([
        exited,
        new Promise((resolve) => (timer = setTimeout(() => resolve('still running 20 s after SIGINT'), 20_000))),
      ]);
      clearTimeout(timer);
      expect(stopped).toBe(0);
      expect([...pidsSeen].filter(alive)).toEqual([]);
      expect(status()!.processes.map((p) => [p.name, p.state, p.pid])).toEqual(
        [...Object.keys(ports), 'console'].map((name) => [name, 'stopped', null]),
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\nsupervisor said:\n${system.stderr()}`, { cause: error });
    }
  }, 240_000);
});
