/**
 * `describe` for suites that need a container runtime (testcontainers): they run
 * wherever Docker works and are skipped here with one printed reason.
 */
export function describeWithContainers(name: string, body: () => void): void {
  const status = process.env.SES_CONTAINER_RUNTIME ?? 'unavailable: global setup did not run';
  if (status === 'available') {
    describe(name, body);
    return;
  }
  // One clear line per skipped suite, printed when the file is loaded.
  process.stdout.write(`[skip] ${name}: no container runtime (${status})\n`);
  describe.skip(`${name} [skipped: no container runtime]`, body);
}
