import { DeltaMerger } from './delta-merger';
import type { DeltaObject } from './graph-resources';

const user = (id: string) => ({ '@odata.type': '#microsoft.graph.user', id });
const removedUser = (id: string) => ({ ...user(id), '@removed': { reason: 'deleted' as const } });

describe('DeltaMerger', () => {
  it('folds replays into one change, later property values winning', () => {
    const merger = new DeltaMerger();
    merger.add([{ id: 'a', displayName: 'Ada', mail: 'ada@x' }, { id: 'b', displayName: 'Bob' }]);
    merger.add([{ id: 'a', displayName: 'Ada L.' }]);
    expect(merger.drainAll()).toEqual([
      { id: 'a', properties: { id: 'a', displayName: 'Ada L.', mail: 'ada@x' } },
      { id: 'b', properties: { id: 'b', displayName: 'Bob' } },
    ]);
    expect(merger.size).toBe(0);
  });

  it('accumulates members@delta slices spread over pages, last operation per member winning', () => {
    const merger = new DeltaMerger();
    merger.add([{ id: 'g', displayName: 'Eng', 'members@delta': [user('u1'), user('u2')] }]);
    merger.add([{ id: 'g', displayName: 'Eng', 'members@delta': [user('u3'), removedUser('u1')] }]);
    expect(merger.drainAll()).toEqual([
      {
        id: 'g',
        properties: { id: 'g', displayName: 'Eng' },
        members: [
          { id: 'u1', type: '#microsoft.graph.user', removed: true },
          { id: 'u2', type: '#microsoft.graph.user', removed: false },
          { id: 'u3', type: '#microsoft.graph.user', removed: false },
        ],
      },
    ]);
  });

  it('lets a removal override earlier changes, and a later appearance override the removal', () => {
    const merger = new DeltaMerger();
    merger.add([{ id: 'a', displayName: 'Ada', 'members@delta': [user('u1')] }, { id: 'a', '@removed': { reason: 'changed' } }]);
    merger.add([{ id: 'b', '@removed': { reason: 'deleted' } }, { id: 'b', displayName: 'Restored' }]);
    expect(merger.drainAll()).toEqual([
      { id: 'a', removed: 'changed', properties: {} },
      { id: 'b', properties: { id: 'b', displayName: 'Restored' } },
    ]);
  });

  it('drains settled objects while keeping back the last one, whose slices may continue', () => {
    const merger = new DeltaMerger<DeltaObject>();
    merger.add([{ id: 'a' }, { id: 'g', 'members@delta': [user('u1')] }]);
    expect(merger.drainSettled().map((change) => change.id)).toEqual(['a']);
    merger.add([{ id: 'g', 'members@delta': [user('u2')] }]);
    const [group] = merger.drainAll();
    expect(group.members?.map((member) => member.id)).toEqual(['u1', 'u2']);
  });
});
