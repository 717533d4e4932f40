import { RequestGate } from './request-gate';

describe('RequestGate', () => {
  it('holds back every request that starts after a pause until it is over, but not one already sent', async () => {
    const gate = new RequestGate(4);
    const order: string[] = [];
    let answer!: () => void;
    let sending!: () => void;
    const onItsWay = new Promise<void>((resolve) => (sending = resolve));
    const sent = gate.run(() => {
      order.push('sent');
      sending();
      return new Promise<void>((resolve) => (answer = resolve));
    });
    await onItsWay;

    const pausedAt = Date.now();
    gate.pause(300);
    const later = ['a', 'b', 'c'].map((name) =>
      gate.run(async () => {
        order.push(name);
        return Date.now();
      }),
    );
    answer();
    await sent;
    order.push('answered');

    for (const startedAt of await Promise.all(later)) expect(startedAt - pausedAt).toBeGreaterThanOrEqual(300);
    expect(order).toEqual(['sent', 'answered', 'a', 'b', 'c']);
  });
});
