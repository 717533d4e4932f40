import { ALL_CHAOS_CHECKS, CHAOS_SCENARIOS, describeChaosResult, runChaosScenario } from '@roster/testing';

const NAMES = (process.env.I10_SCENARIOS ?? '').split('|');
for (const scenario of CHAOS_SCENARIOS.filter((s) => NAMES.includes(s.name))) {
  it(`chaos ${scenario.name}`, async () => {
    const r = await runChaosScenario(scenario, { users: 80, convergeWithinMs: 120_000, until: ALL_CHAOS_CHECKS });
    process.stdout.write(`RESULT ${describeChaosResult(r)}\n`);
  }, 900_000);
}
