import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * What a restarted query app pays on the embedded read store with a year of data:
 * a fresh Node process opens the file and ensures every projection's indexes (as the
 * projection engine does before it serves), then runs year-long reports cold and
 * warm. A separate process so that its RSS is the restart's own, not the builder's.
 * Only the store and the reports run there (no Nest, no GraphQL): add the app's
 * ~100 MB of modules for a whole query app.
 */
export function measureRestart(path: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // --expose-gc only to report what stays live after the reports (heapAfterGcMB), next to RSS.
    const child = spawn(process.execPath, ['--expose-gc', join(__dirname, 'read-store-restart.child.js'), path], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`restart measurement exited with ${code}`));
      try {
        // The child may log (e.g. an index built on first open) before its one JSON line.
        const lines = out.trim().split('\n');
        resolve(JSON.parse(lines[lines.length - 1]) as Record<string, unknown>);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
