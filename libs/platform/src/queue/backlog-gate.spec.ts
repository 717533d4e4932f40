import fc from 'fast-check';
import { BacklogGate } from './backlog-gate';

/** A gate reading `readings` in turn (the last one from then on), with pauses that take no time. */
function gateOver(readings: number[], limit: number) {
  let reads = 0;
  const gate = new BacklogGate(async () => readings[Math.min(reads++, readings.length - 1)]!, limit, async () => undefined);
  return { gate, reads: () => reads };
}

describe('BacklogGate', () => {
  it('admits at the first reading at or below the limit, after reading no further', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(50), { minLength: 1, maxLength: 30 }), fc.nat(50), async (readings, limit) => {
        const { gate, reads } = gateOver([...readings, limit], limit);
        await gate.admit();
        const admittedAt = [...readings, limit].findIndex((n) => n <= limit);
        expect(reads()).toBe(admittedAt + 1);
        expect(gate.backlog).toBeLessThanOrEqual(limit);
        expect(gate.holding).toBe(false);
        expect(gate.heldMs > 0).toBe(admittedAt > 0);
      }),
    );
  });

  it('lets a caller that stops anyway go while the backlog is still over the limit', async () => {
    let halted = false;
    const gate = new BacklogGate(async () => 10, 5, async () => {
      halted = true;
    });
    await gate.admit(() => halted);
    expect(gate.backlog).toBe(10);
    expect(gate.holding).toBe(false);
  });

  it('says it holds while it waits for the backlog to drain', async () => {
    let waiting = 3;
    let release: () => void = () => undefined;
    const gate = new BacklogGate(async () => waiting, 2, () => new Promise<void>((resolve) => (release = resolve)));
    const admitted = gate.admit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.holding).toBe(true);
    waiting = 2;
    release();
    await admitted;
    expect(gate.holding).toBe(false);
  });
});
