const MONGO_URL = /^mongodb(?:\+srv)?:\/\/([^/?#]*)(?:\/([^?#]*))?/i;

export function isMongoUrl(url: string): boolean {
  return MONGO_URL.test(url);
}

/**
 * The database named in a MongoDB connection string's path, if any. Parsed by hand
 * because multi-host strings (`mongodb://a:1,b:2/db`) are not WHATWG URLs, and the
 * driver itself would default to 'test'.
 */
export function databaseNameFromUrl(url: string): string | undefined {
  const path = MONGO_URL.exec(url)?.[2];
  return path ? decodeURIComponent(path) : undefined;
}
