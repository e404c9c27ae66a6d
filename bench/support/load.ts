import autocannon from 'autocannon';

/** One GraphQL request of a scenario; `remember` keeps a field of its answer (by name, anywhere in data) for the next step's body. */
export interface LoadStep {
  body: (remembered: string) => { query: string; variables?: Record<string, unknown> };
  remember?: string;
}

export interface LoadScenario {
  name: string;
  url: string;
  clients: number;
  seconds: number;
  /** Client i uses tokens[i % tokens.length]; with tokenPerRequest, each request takes the next token (each used once while there are enough: afterwards a used one again). */
  tokens: string[];
  tokenPerRequest?: boolean;
  /** Each client sends these in turn, again and again (closed loop: the next one after the answer). */
  steps: LoadStep[];
}

export interface LoadFigures {
  name: string;
  requests: number;
  requestsPerSecond: number;
  /** Mean latency: with a closed loop it is clients / requestsPerSecond (Little's law), whatever the server does. */
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers that were not HTTP 200, or that carried GraphQL errors (first one kept). */
  failed: number;
  firstError?: string;
  /** For startUsage: how many were allowed and denied. */
  allowed?: number;
  denied?: number;
}

/** Runs one closed-loop load scenario with autocannon and summarises it. */
export async function runLoad(scenario: LoadScenario): Promise<LoadFigures> {
  let nextClient = 0;
  let nextToken = 0;
  let failed = 0;
  let allowed = 0;
  let denied = 0;
  let firstError: string | undefined;
  interface Client {
    client?: number;
    remembered?: string;
  }
  const requests = scenario.steps.map((step) => ({
    method: 'POST' as const,
    path: new URL(scenario.url).pathname,
    setupRequest: (req: autocannon.Request, context: Client) => {
      context.client ??= nextClient++;
      const token = scenario.tokenPerRequest ? scenario.tokens[nextToken++ % scenario.tokens.length] : scenario.tokens[context.client % scenario.tokens.length];
      return {
        ...req,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(step.body(context.remembered ?? '')),
      };
    },
    onResponse: (status: number, body: string, context: Client) => {
      let parsed: { data?: Record<string, Record<string, unknown> | null>; errors?: { message: string }[] } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        // counted as failed below
      }
      if (status !== 200 || parsed.errors?.length || !parsed.data) {
        failed += 1;
        firstError ??= `${status} ${body.slice(0, 300)}`;
        return;
      }
      const answer = Object.values(parsed.data)[0];
      if (answer && typeof answer.allowed === 'boolean') {
        if (answer.allowed) allowed += 1;
        else denied += 1;
      }
      if (step.remember && answer) context.remembered = String(answer[step.remember]);
    },
  }));
  const result = await autocannon({
    url: scenario.url,
    connections: scenario.clients,
    duration: scenario.seconds,
    requests,
    initialContext: {},
  });
  const seconds = result.duration;
  return {
    name: scenario.name,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / seconds),
    meanMs: result.latency.mean,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    failed: failed + result.errors + result.timeouts,
    ...(firstError ? { firstError } : {}),
    ...(allowed + denied > 0 ? { allowed, denied } : {}),
  };
}
