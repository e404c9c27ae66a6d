export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  /** The Retry-After header, when the answer has one (RATE_LIMITED, SERVICE_UNAVAILABLE). */
  retryAfter?: string;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; fields?: string[] } & Record<string, unknown>; path?: (string | number)[] }[];
}

/** POSTs one GraphQL operation the way a client does (JSON, bearer token, optional headers). */
export async function gql<T = Record<string, any>>(
  url: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON answer (${res.status}) from ${url}: ${text.slice(0, 500)}`);
  }
  const retryAfter = res.headers.get('retry-after');
  return { ...body, status: res.status, ...(retryAfter === null ? {} : { retryAfter }) };
}

/** The data of a successful operation; fails the test with the errors otherwise. */
export async function ok<T = Record<string, any>>(promise: Promise<GraphQLResponse<T>>): Promise<T> {
  const res = await promise;
  if (res.errors?.length || !res.data) throw new Error(`expected success, got ${JSON.stringify(res.errors ?? res)}`);
  return res.data;
}

/** The first error code of a failed operation. */
export async function errorCode(promise: Promise<GraphQLResponse>): Promise<string | undefined> {
  const res = await promise;
  return res.errors?.[0]?.extensions?.code;
}
