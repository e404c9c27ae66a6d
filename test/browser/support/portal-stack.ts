import { createServer } from 'node:net';
import { SesStack } from '../../support/ses-stack';

/** A port the OS considers free now (closed again at once; the app binds it moments later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Both apps on ports chosen up front, so that the defaults are what is tested: the query app
 * tells the portal the command API is at http://<host>:SES_COMMAND_PORT, and the command app
 * answers CORS for http://localhost:SES_QUERY_PORT only.
 */
export async function startPortalStack(env: Record<string, string> = {}): Promise<{ stack: SesStack; portal: string }> {
  const [command, query] = [await freePort(), await freePort()];
  const stack = await SesStack.start({ ...env, SES_COMMAND_PORT: String(command), SES_QUERY_PORT: String(query) });
  return { stack, portal: `http://localhost:${query}/portal/` };
}
