import { toEsdbConnectionString } from './esdb-connection-string';

describe('toEsdbConnectionString', () => {
  it('rewrites the kurrentdb schemes to the ones the client parses', () => {
    expect(toEsdbConnectionString('kurrentdb://host:2113?tls=false')).toBe('esdb://host:2113?tls=false');
    expect(toEsdbConnectionString('kurrentdb+discover://a:2113,b:2113')).toBe('esdb+discover://a:2113,b:2113');
  });

  it('leaves esdb connection strings as they are', () => {
    expect(toEsdbConnectionString('esdb://host:2113?tls=false')).toBe('esdb://host:2113?tls=false');
  });
});
