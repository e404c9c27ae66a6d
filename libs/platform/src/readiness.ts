/** What a readiness probe of one store found: reachable within the time limit or not, how long it took. */
export interface StoreProbe {
  reachable: boolean;
  ms: number;
  error?: string;
}

/**
 * Runs `check` (a cheap read of a store) with a time limit: GET /health must answer
 * quickly even while a store is unreachable (the EventStoreDB client waits 10 s by default,
 * the MongoDB driver 30 s), and say which store it could not reach.
 */
export async function probeStore(check: () => Promise<unknown>, timeoutMs = 2000): Promise<StoreProbe> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { reachable: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { reachable: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
