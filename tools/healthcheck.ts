/**
 * The container image's HEALTHCHECK: healthy once the service answers /health/ready (it reaches Redis
 * and PostgreSQL). Without HTTP_PORT a service listens on its default port, listed here; a test checks
 * the list against each service's configuration schema.
 */
export const DEFAULT_HTTP_PORTS: Record<string, number> = {
  'directory-watcher': 3001,
  mapper: 3002,
  connector: 3003,
  audit: 3004,
  'admin-api': 3005,
};

if (require.main === module) {
  const port = process.env.HTTP_PORT ?? DEFAULT_HTTP_PORTS[process.env.SERVICE ?? ''];
  fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2500) }).then(
    (res) => process.exit(res.ok ? 0 : 1),
    () => process.exit(1),
  );
}
