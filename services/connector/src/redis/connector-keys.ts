import type { ConnectorConfig } from '../config/connector.config';

/**
 * Redis keys of the shared state of one provisioning job's GoTo target (rate limit, quarantine).
 * They live under the installation's queue prefix, so test suites sharing one Redis stay apart; the
 * braces keep a job's keys in one Redis Cluster slot, as its Lua scripts touch several at once.
 */
export function connectorKey(config: Pick<ConnectorConfig, 'QUEUE_PREFIX' | 'PROVISIONING_JOB_ID'>, ...parts: string[]): string {
  return [config.QUEUE_PREFIX, 'connector', `{${config.PROVISIONING_JOB_ID}}`, ...parts].join(':');
}
