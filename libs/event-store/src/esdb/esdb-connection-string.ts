/** Client 6.2.1 only parses esdb:// and esdb+discover://; KurrentDB's kurrentdb:// scheme means the same server. */
export function toEsdbConnectionString(url: string): string {
  return url.replace(/^kurrentdb(\+discover)?:\/\//i, (_match, discover: string | undefined) => `esdb${discover ?? ''}://`);
}
