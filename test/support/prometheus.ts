/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** `# TYPE name type` lines. */
  types: Map<string, string>;
  /** Lines that are neither comments, blank, nor well-formed samples. */
  malformed: string[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:[0-9.]+(?:e[+-]?\d+)?|NaN|\+Inf|-Inf))(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text format (version 0.0.4) strictly enough to catch a malformed line. */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const malformed: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type) types.set(type[1], type[2]);
      else if (!/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) malformed.push(line);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) {
      malformed.push(line);
      continue;
    }
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    let rest = body;
    for (const label of body.matchAll(LABEL)) {
      labels[label[1]] = label[2];
      rest = rest.replace(label[0], '');
    }
    if (rest.replace(/,/g, '').trim() !== '') malformed.push(line);
    samples.push({ name: match[1], labels, value: Number(match[3].replace('+Inf', 'Infinity')) });
  }
  return { samples, types, malformed };
}

/** The value of the one sample named `name` whose labels include `labels` (undefined when none; throws when several). */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** GET /metrics of an app (its GraphQL URL's origin), parsed. */
export async function scrape(graphqlUrl: string, token?: string): Promise<Exposition & { status: number; contentType: string | null }> {
  const res = await fetch(graphqlUrl.replace('/graphql', '/metrics'), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { ...parseExposition(res.ok ? text : ''), status: res.status, contentType: res.headers.get('content-type') };
}

/** Scrapes until `until` holds for the exposition (a condition awaited, never a fixed sleep). */
export async function scrapeUntil(graphqlUrl: string, until: (exposition: Exposition) => boolean, token?: string, timeoutMs = 20_000): Promise<Exposition> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exposition = await scrape(graphqlUrl, token);
    if (until(exposition)) return exposition;
    if (Date.now() > deadline) throw new Error(`metrics did not reach the expected state within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
