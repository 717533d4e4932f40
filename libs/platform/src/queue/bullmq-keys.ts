/**
 * The Redis key BullMQ keeps one part of a queue under (`wait` list, `delayed` set, a job's hash by
 * its id). What reads queues from outside BullMQ goes through here: the queue gauges, and the
 * Helm chart's KEDA triggers, whose list names the chart test checks against this.
 */
export function bullmqKey(prefix: string, queue: string, type: string): string {
  return `${prefix}:${queue}:${type}`;
}
