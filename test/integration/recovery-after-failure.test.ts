import { ProvisioningFeedbackType as F, QueueName, type MappingConfigInput, type ProvisioningCommand, type ProvisioningFeedback } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPING } from '@roster/mapping';
import { getJson, sendJson, waitFor } from '@roster/testing';
import { Pipeline } from '../support/pipeline';

interface DeadLetterBody {
  id: string;
  userId: string;
  type: string;
  status: string;
  redrivenAs: string | null;
  resolvedBy: string | null;
  command: ProvisioningCommand;
}

/** The default mapping plus a time zone: GoTo refuses a zone that does not exist (400 invalidValue). */
const withTimeZone = (zone: string): MappingConfigInput => ({
  ...DEFAULT_GOTOMEETING_MAPPING,
  attributeMappings: [...DEFAULT_GOTOMEETING_MAPPING.attributeMappings, { target: 'timezone', type: 'Constant', constant: zone, apply: 'Always' }],
});

describe('recovery after commands failed for good', () => {
  const p = new Pipeline();
  beforeAll(() => p.start());
  afterAll(() => p.stop());

  const deadLetters = async (userId: string, status = 'any') =>
    (await getJson<{ items: DeadLetterBody[] }>(`${p.connector.url}/dead-letters?userId=${userId}&status=${status}`)).body.items;
  const failedCommandOf = async (userId: string) =>
    (await p.env.query<{ failed_command: string | null }>(`SELECT failed_command FROM mapper_user_state WHERE user_id = $1`, [userId]))[0]?.failed_command;
  /** Waits until the connector dead-lettered `count` commands of the user and the mapper heard of it. */
  const deadLettered = async (userId: string, count = 1) => {
    await waitFor(async () => (await deadLetters(userId, 'dead')).length === count && (await failedCommandOf(userId)) === 'user.create', {
      what: `${count} dead letter(s) of ${userId}, reported to the mapper`,
    });
    return deadLetters(userId, 'dead');
  };

  it('provisions every user a bad mapping dead-lettered once the mapping is fixed, without any directory change', async () => {
    await p.saveMapping(withTimeZone('Mars/Olympus'));
    const ids = [];
    for (const name of ['tz-a', 'tz-b', 'tz-c']) ids.push(await p.assignNewUser(name));
    for (const id of ids) expect((await deadLettered(id))[0]).toMatchObject({ type: 'user.create', command: { attributes: { timezone: 'Mars/Olympus' } } });
    expect(['tz-a', 'tz-b', 'tz-c'].map((n) => p.goto.users.getByUserName(`${n}@example.com`))).toEqual([undefined, undefined, undefined]);

    // The fix drops the time zone: no mapped value of these users changes, yet each is provisioned.
    const fixed = await p.saveMapping(DEFAULT_GOTOMEETING_MAPPING);
    const accounts = await waitFor(() => {
      const found = ['tz-a', 'tz-b', 'tz-c'].map((n) => p.goto.users.getByUserName(`${n}@example.com`));
      return found.every(Boolean) && found;
    }, { what: 'the three accounts' });
    expect(accounts.map((a) => a!.attributes.timezone)).toEqual([undefined, undefined, undefined]);
    expect(accounts.map((a) => a!.externalId)).toEqual(ids);

    for (const id of ids) {
      const create = (await p.logsOf(id)).find((e) => e.service === 'mapper' && e.action === 'Create' && e.details?.configVersion === fixed);
      expect(create?.step).toBe('computed');
      const [entry] = await waitFor(async () => {
        const entries = await deadLetters(id, 'resolved');
        return entries.length === 1 && entries;
      }, { what: `the dead letter of ${id} resolved` });
      expect(entry!.resolvedBy).toMatch(new RegExp(`reevaluate/v${fixed}/${id}/user\\.create$`));
      expect(await deadLetters(id, 'dead')).toEqual([]);
      expect(await failedCommandOf(id)).toBeNull();
    }
  });

  it('re-drives a dead letter as the command recomputed from the current state and mapping, not the dead one', async () => {
    p.goto.faults.failUserName('redrive@example.com', { status: 400 });
    const id = await p.assignNewUser('redrive');
    const [first] = await deadLettered(id);
    expect(first!.command).toMatchObject({ type: 'user.create', attributes: { displayName: 'Ada redrive' } });

    // The mapping changes while GoTo still refuses the user: the new attempt is dead-lettered too.
    await p.saveMapping({
      ...DEFAULT_GOTOMEETING_MAPPING,
      attributeMappings: [
        ...DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => m.target !== 'displayName'),
        { target: 'displayName', type: 'Expression', expression: 'Join(" ", "Dr.", [surname])', apply: 'Always' },
      ],
    });
    const [second] = (await deadLettered(id, 2)).filter((d) => d.id !== first!.id);
    p.goto.faults.clear();

    const res = await sendJson<{ items: { id: string; redrivenAs: string }[] }>('POST', `${p.connector.url}/dead-letters/${first!.id}/redrive`);
    expect(res.status).toBe(200);
    const account = await waitFor(() => p.goto.users.getByUserName('redrive@example.com'), { what: 'the account' });
    expect(account.attributes.displayName).toBe('Dr. redrive');

    const executed = await waitFor(async () => (await p.logsOf(id)).find((e) => e.service === 'connector' && e.step === 'executed'), {
      what: 'the recomputed command executed',
    });
    expect(executed.action).toBe('Create');
    const byId = new Map((await deadLetters(id)).map((d) => [d.id, d]));
    expect(byId.get(first!.id)).toMatchObject({ status: 'redriven', redrivenAs: res.body.items[0]!.redrivenAs });
    expect(byId.get(second!.id)).toMatchObject({ status: 'resolved' });
    expect(byId.get(second!.id)!.resolvedBy).toMatch(new RegExp(`^${res.body.items[0]!.redrivenAs}/reevaluate/user\\.create$`));
  });

  it('reaches a user whose failure is reported only after a mapping change re-evaluated it', async () => {
    const id = await p.assignNewUser('late');
    await waitFor(() => p.goto.users.getByUserName('late@example.com'), { what: 'the account' });
    const decidedAt = new Date().toISOString();
    // The fixed mapping's re-evaluation passes the user (nothing mapped changed) before the
    // connector's news that a command of the user, decided before the save, failed for good.
    const inForce = (await getJson<{ config: MappingConfigInput }>(`${p.mapper.url}/jobs/gotomeeting/mapping`)).body.config;
    const fixed = await p.saveMapping(inForce);
    const skipped = await waitFor(async () => (await p.logsOf(id)).find((e) => e.service === 'mapper' && e.details?.configVersion === fixed), {
      what: `the re-evaluation under v${fixed}`,
    });
    expect(skipped.reason).toBe('no change to a mapped attribute');
    const late: ProvisioningFeedback = {
      version: 1,
      type: F.CommandDeadLettered,
      idempotencyKey: `gotomeeting/dead-letter-late`,
      correlationId: 'late-news',
      provisioningJobId: 'gotomeeting',
      occurredAt: new Date().toISOString(),
      userId: id,
      command: { type: 'user.update', idempotencyKey: 'late-update', order: '1', decidedAt },
    };
    const queue = p.queue(QueueName.ProvisioningFeedback);
    try {
      await queue.add(late.type, late, { jobId: 'late-news' });
    } finally {
      await queue.close();
    }
    const logs = await waitFor(async () => {
      const l = await p.logs('correlationId=late-news');
      // GoTo holds that state already, so the connector writes nothing and says so (skipped), or rewrites what differs.
      return l.some((e) => e.service === 'connector' && ['executed', 'skipped'].includes(e.step)) && l;
    }, { what: 'the user re-decided with its whole state, and the command run' });
    const update = logs.find((e) => e.service === 'mapper' && e.step === 'computed');
    expect(update).toMatchObject({ action: 'Update', sourceId: id });
    expect(update?.details?.changed).toEqual(expect.arrayContaining(['userName', 'name.givenName', 'active']));
  });
});
