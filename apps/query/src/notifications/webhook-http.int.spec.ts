import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookHttp } from './webhook-http';

describe('webhook HTTP attempts (a real server on loopback)', () => {
  let server: Server;
  let connections = 0;
  const requests: string[] = [];
  let port = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
        else if (req.url === '/silent')
          return; // never answers
        else res.writeHead(204).end();
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
    connections = 0;
  });

  const development = () => new WebhookHttp({ production: false, allowPrivate: false }, 2000);
  const production = () => new WebhookHttp({ production: true, allowPrivate: false }, 2000);

  it('outside production posts to loopback over http and answers the status', async () => {
    const http = development();
    try {
      expect(await http.post(`http://127.0.0.1:${port}/hook`, { 'webhook-id': 'msg_1' }, '{}')).toEqual({ answered: true, status: 204 });
      expect(requests).toEqual(['/hook']);
    } finally {
      http.close();
    }
  });

  it('does not follow a redirect: the 3xx is the answer, and its target is never asked', async () => {
    const http = development();
    try {
      expect(await http.post(`http://127.0.0.1:${port}/redirect`, {}, '{}')).toEqual({ answered: true, status: 302 });
      expect(requests).toEqual(['/redirect']);
    } finally {
      http.close();
    }
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    const http = new WebhookHttp({ production: false, allowPrivate: false }, 300);
    try {
      expect(await http.post(`http://127.0.0.1:${port}/silent`, {}, '{}')).toEqual({ answered: false, error: 'no answer within 300 ms' });
    } finally {
      http.close();
    }
  });

  it('in production refuses http, a loopback address, and a host name that resolves to loopback, before any connection is made', async () => {
    const http = production();
    try {
      expect(await http.post(`http://127.0.0.1:${port}/hook`, {}, '{}')).toEqual({ answered: false, error: expect.stringMatching(/https only/) });
      const literal = await http.post(`https://127.0.0.1:${port}/hook`, {}, '{}');
      expect(literal).toEqual({ answered: false, error: expect.stringMatching(/not allowed/) });
      // The name is resolved when connecting, and the address it resolves to is checked before the socket connects to it.
      const named = await http.post(`https://localhost:${port}/hook`, {}, '{}');
      expect(named).toEqual({ answered: false, error: expect.stringMatching(/not allowed/) });
      const mapped = await http.post(`https://[::ffff:127.0.0.1]:${port}/hook`, {}, '{}');
      expect(mapped).toEqual({ answered: false, error: expect.stringMatching(/not allowed/) });
      expect(connections).toBe(0);
      expect(requests).toEqual([]);
    } finally {
      http.close();
    }
  });
});
