/** What the query app tells the portal at run time (GET /portal/config.json, see apps/query/src/portal). */
export interface RuntimeConfig {
  commandUrl: string;
  portalOrigin: string;
  oidc: { authority: string; clientId: string; scope: string } | null;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const fallback: RuntimeConfig = {
    commandUrl: `${location.protocol}//${location.hostname}:3000/graphql`,
    portalOrigin: location.origin,
    oidc: null,
  };
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-cache' });
    if (!response.ok) return fallback;
    const body = (await response.json()) as Partial<RuntimeConfig>;
    return { ...fallback, ...body };
  } catch {
    return fallback;
  }
}

/** Started when this module is first evaluated (main.tsx imports it right after the token capture), so the request overlaps the evaluation of the rest. */
export const runtimeConfig: Promise<RuntimeConfig> = loadRuntimeConfig();
