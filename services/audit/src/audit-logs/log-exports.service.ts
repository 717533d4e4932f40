import { Injectable, Logger } from '@nestjs/common';
import { ProvisioningJobRecords } from '@roster/platform';
import { CSV_HEADER, csvLine, toProvisioningObjectSummary, type StoredLogRow } from '@roster/provisioning-log';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LogSelection } from '../provisioning-logs/log-statements';
import { ProvisioningLogRepository } from '../provisioning-logs/provisioning-log.repository';

export type ExportFormat = 'json' | 'csv';

/** What one export held at most while it ran: the proof that it streams rather than builds the file. */
export interface ExportStats {
  rows: number;
  /** Rows fetched from PostgreSQL and not yet formatted. */
  maxBufferedRows: number;
  /** Formatted bytes not yet handed to the socket. */
  maxBufferedBytes: number;
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' };

/**
 * Exports a filtered provisioning log as JSON (an array of provisioningObjectSummary) or CSV, row by
 * row from a PostgreSQL cursor to the response: backpressure from a slow client pauses the cursor,
 * so memory stays flat whatever the size.
 */
@Injectable()
export class LogExports {
  private readonly logger = new Logger(LogExports.name);
  /** The figures of the export that finished last. */
  lastStats: ExportStats | null = null;

  constructor(
    private readonly logs: ProvisioningLogRepository,
    private readonly jobs: ProvisioningJobRecords,
  ) {}

  async send(selection: LogSelection, format: ExportFormat, sink: Writable): Promise<ExportStats> {
    const tenants = await this.jobs.directoryTenants();
    const { rows, close } = await this.logs.stream(selection);
    const stats: ExportStats = { rows: 0, maxBufferedRows: 0, maxBufferedBytes: 0 };
    let first = true;
    const formatter = new Transform({
      writableObjectMode: true,
      transform(row: StoredLogRow, _encoding, done) {
        stats.maxBufferedRows = Math.max(stats.maxBufferedRows, rows.readableLength);
        stats.maxBufferedBytes = Math.max(stats.maxBufferedBytes, this.readableLength + sink.writableLength);
        const summary = toProvisioningObjectSummary(row, tenants.get(row.provisioning_job_id));
        const text = format === 'csv' ? csvLine(summary) : `${first ? '[\n' : ',\n'}${JSON.stringify(summary)}`;
        first = false;
        stats.rows++;
        done(null, text);
      },
      flush(done) {
        done(null, format === 'json' ? (first ? '[]\n' : '\n]\n') : null);
      },
    });
    if (format === 'csv') formatter.push(CSV_HEADER);
    try {
      await pipeline(rows, formatter, sink);
    } finally {
      close();
    }
    this.lastStats = stats;
    this.logger.log({ format, ...stats }, 'provisioning-log export sent');
    return stats;
  }
}
