import { RecentJobs } from './recent-jobs';

describe('RecentJobs', () => {
  it('keeps the jobs of the last window before the newest one, however long ago that was', () => {
    let now = 0;
    const recent = new RecentJobs<string>(5000, () => now);
    recent.add(['a']);
    now = 3000;
    recent.add(['b', 'c']);
    now = 7000;
    recent.add(['d']);
    expect(recent.all()).toEqual(['b', 'c', 'd']);
    // Redis down for a minute: nothing new is added, so nothing is forgotten.
    now = 67_000;
    expect(recent.all()).toEqual(['b', 'c', 'd']);
  });
});
