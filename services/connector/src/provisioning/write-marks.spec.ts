import type { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import type { CommandLog } from './command-log';
import { WriteMarks, type WriteMark } from './write-marks';

const note = (lateForMs: number): WriteMark => ({ id: '1', commandKey: 'k', intent: null, record: null, unanswered: true, lateForMs });

describe('WriteMarks.recheckInMs: how long a user waits for a create that may still land', () => {
  const marks = (watch?: number) =>
    new WriteMarks({} as DataSource, {} as CommandLog, { GOTO_TIMEOUT_MS: 1_000, GOTO_LATE_CREATE_WATCH_MS: watch } as ConnectorConfig);

  it('reads GoTo again after one timeout, then after as long as the note has waited, never past the watch', () => {
    const watched = marks(16_000);
    expect([16_000, 15_000, 14_000, 12_000, 8_000, 1_500].map((left) => watched.recheckInMs([note(left)]))).toEqual([1_000, 1_000, 2_000, 4_000, 8_000, 1_500]);
  });

  it('goes by the note that may land the longest, and watches four timeouts unless told', () => {
    expect(marks().recheckInMs([note(500), note(4_000)])).toBe(1_000);
    expect(marks().recheckInMs([note(500), note(2_000)])).toBe(2_000);
  });

  it('waits for no note past its watch, nor without notes', () => {
    expect(marks().recheckInMs([note(0), note(-5_000)])).toBe(0);
    expect(marks().recheckInMs([])).toBe(0);
  });
});
