import { PROVISIONING_COMMAND_BATCH_MAX, QueueName, type ProvisioningCommand } from '@roster/contracts';
import { jobOptions } from './job-options';
import { parseCommands, provisioningCommandAlone, provisioningCommandBatches } from './provisioning-command-batches';

const command = (n: number, provisioningJobId = 'gotomeeting'): ProvisioningCommand => ({
  version: 1,
  idempotencyKey: `k:${n}`,
  correlationId: `c${n}`,
  provisioningJobId,
  occurredAt: '2026-12-01T00:00:00.000Z',
  userId: `u${n % 3}`,
  order: String(n),
  matching: [{ targetAttribute: 'userName', value: `u${n}@example.com`, precedence: 1 }],
  type: 'user.delete',
});

describe('provisioningCommandBatches', () => {
  it('batches each provisioning job’s commands in order, at most a hundred to a batch, named after their keys', () => {
    const commands = [...Array.from({ length: PROVISIONING_COMMAND_BATCH_MAX + 1 }, (_, n) => command(n)), command(500, 'other')];
    const batches = provisioningCommandBatches(commands);
    expect(batches.map((b) => [b.provisioningJobId, b.commands.length])).toEqual([['gotomeeting', 100], ['gotomeeting', 1], ['other', 1]]);
    expect(batches.flatMap((b) => b.commands)).toEqual([...commands.slice(0, 100), commands[100], commands[101]]);
    expect(provisioningCommandBatches(commands)[0]!.id).toBe(batches[0]!.id);
    expect(provisioningCommandBatches(commands.slice(1))[0]!.id).not.toBe(batches[0]!.id);
  });

  it('names a command on its own by its key, and one going back alone apart from it, with its attempts counted against its total', () => {
    expect(provisioningCommandBatches([command(1)])[0]!.id).toBe('k:1');
    const retry = provisioningCommandAlone(command(1), 'retry2', 2);
    expect(retry).toMatchObject({ provisioningJobId: 'gotomeeting', commands: [command(1)], priorAttempts: 2 });
    expect(retry.id).not.toBe('k:1');
    expect(provisioningCommandAlone(command(1), 'deferred', 0)).not.toHaveProperty('priorAttempts');
    expect(jobOptions(QueueName.ProvisioningCommands, retry.id, 1, 2).attempts).toBe(jobOptions(QueueName.ProvisioningCommands, retry.id).attempts! - 2);
  });
});

describe('parseCommands', () => {
  it('rejects a malformed command, and one of another provisioning job, with its position and keeps the others', () => {
    const { valid, rejected } = parseCommands({ version: 1, id: 'b', provisioningJobId: 'gotomeeting', commands: [command(1), { type: 'user.delete' }, command(2, 'other'), command(3)] });
    expect(valid.map((c) => c.idempotencyKey)).toEqual(['k:1', 'k:3']);
    expect(rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(rejected[1]!.error.message).toMatch(/^provisioning command \[2\]: provisioningJobId: not the batch's provisioning job "gotomeeting"/);
  });
});
