import { useEffect, useState } from 'react';
import { useSession } from '../session';
import { EventStreamParser } from './server-sent-events';
import type { SyncProgress } from './types';

/** One point of the throughput chart: when, and how many changes a second were processed then. */
export interface ThroughputSample {
  at: number;
  perSecond: number;
}

const MAX_SAMPLES = 120;

/**
 * The job's sync progress as the server pushes it (`/sync-progress/events`), with the throughput of
 * the running cycle sampled at each push; the stream is opened again after a break.
 */
export function useSyncProgress(jobId: string): { progress: SyncProgress | null; samples: ThroughputSample[]; error: string | null } {
  const { api } = useSession();
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [samples, setSamples] = useState<ThroughputSample[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const receive = (p: SyncProgress) => {
      setProgress(p);
      setError(null);
      if (p.current) setSamples((s) => [...s, { at: Date.parse(p.observedAt), perSecond: p.current!.ratePerSecond }].slice(-MAX_SAMPLES));
    };
    const open = async () => {
      try {
        const res = await api.fetch(`/jobs/${jobId}/sync-progress/events`, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
        if (!res.ok || !res.body) throw new Error(`The progress stream answered ${res.status}.`);
        const parser = new EventStreamParser();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            if (event.event === 'progress') receive(JSON.parse(event.data) as SyncProgress);
            if (event.event === 'error') setError((JSON.parse(event.data) as { message: string }).message);
          }
        }
      } catch (e) {
        if (abort.signal.aborted) return;
        setError((e as Error).message);
      }
      if (!abort.signal.aborted) retry = setTimeout(() => void open(), 2000);
    };
    void open();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [api, jobId]);

  return { progress, samples, error };
}
