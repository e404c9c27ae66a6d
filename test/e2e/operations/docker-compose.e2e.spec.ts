import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { parse } from 'yaml';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

/** The file as Compose reads it (YAML merge keys resolved), before variable interpolation. */
const compose = (): ComposeFile => parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
const APPS = ['command', 'query'] as const;

/** `docker compose`, where the Docker client has the compose plugin (it reads files without an engine). */
const composeClient = (() => {
  const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (probe.error) return { available: false, why: `no docker client (${probe.error.message})` };
  if (probe.status !== 0) return { available: false, why: `the docker client has no compose plugin (${(probe.stderr || probe.stdout).trim().split('\n')[0]})` };
  return { available: true, why: probe.stdout.trim() };
})();

/** docker-compose.yml and the Dockerfile (issue 13): one command starts a stack that survives restarts. */
describe('operations: docker-compose.yml and Dockerfile', () => {
  it('is a valid Compose file by the Compose Specification schema', () => {
    // The Compose Specification's own JSON schema, as the docker-compose package ships it (draft-07, Ajv's default; its $schema URL lacks the '#' Ajv knows it by).
    const { $schema: _draft07, ...schema } = JSON.parse(readFileSync(require.resolve('docker-compose/schema/compose-spec.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const valid = validate(compose());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('restarts every service, and checks the health of each, the apps through their own GET /health', () => {
    const { services } = compose();
    expect(Object.keys(services).sort()).toEqual(['command', 'eventstore', 'mongo', 'query']);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
    for (const app of APPS) {
      expect(services[app].healthcheck!.test).toEqual(['CMD', 'node', 'dist/scripts/healthcheck.js', app]);
      expect(services[app].command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
      // What the image will run exists in the build (npm test builds first).
      for (const file of [services[app].command![1], 'dist/scripts/healthcheck.js']) expect(existsSync(join(ROOT, file))).toBe(true);
    }
  });

  it('starts the apps only once EventStoreDB is the leader (not merely live) and MongoDB answers', () => {
    const { services } = compose();
    const esdbCheck = services.eventstore.healthcheck!.test.join(' ');
    expect(esdbCheck).toContain('/gossip');
    expect(esdbCheck).toContain('Leader');
    for (const app of APPS) expect(services[app].depends_on).toEqual({ eventstore: { condition: 'service_healthy' }, mongo: { condition: 'service_healthy' } });
  });

  it('builds the image once, for both apps, and gives SES_DATA_DIR a volume', () => {
    const { services, volumes } = compose();
    const built = Object.entries(services).filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(['command']);
    expect(services.query.image).toBe(services.command.image);
    expect(services.query.pull_policy).toBe('never');
    for (const app of APPS) {
      expect(services[app].environment).toMatchObject({ SES_DATA_DIR: '/data', NODE_ENV: 'production' });
      expect(services[app].environment!.SES_SIGNING_KEY_FILE).toBeDefined();
      expect(services[app].environment!.SES_SIGNING_KEY).toBeUndefined();
      expect(services[app].volumes).toContain('ses-data:/data');
    }
    expect(volumes).toHaveProperty('ses-data');
  });

  it('Dockerfile: runs as node with /data its own, and builds the portal into the image', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/RUN mkdir -p \/data && chown node:node \/data/);
    expect(runtime).toMatch(/^VOLUME \/data$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime.indexOf('chown node:node /data')).toBeLessThan(runtime.indexOf('USER node'));
    expect(runtime).toMatch(/SES_DATA_DIR=\/data/);
    expect(dockerfile).toMatch(/npm run build && test -f dist\/portal\/index\.html/);
    // The build script builds the portal too, so dist (what the image copies) holds it.
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.build).toContain('build:portal');
    expect(existsSync(join(ROOT, 'dist', 'portal', 'index.html'))).toBe(true);
  });

  if (composeClient.available) {
    it(`docker compose config accepts the file with SES_AUTH_SECRET and names what is missing without it (${composeClient.why})`, async () => {
      const env = { ...process.env, SES_AUTH_SECRET: 'x'.repeat(40) };
      const { stdout } = await run('docker', ['compose', '-f', COMPOSE_FILE, 'config', '--format', 'json'], { env });
      const resolved = JSON.parse(stdout) as ComposeFile;
      expect(resolved.services.query.image).toBe(resolved.services.command.image);
      expect(resolved.services.command.environment!.SES_AUTH_SECRET).toBe('x'.repeat(40));
      const { SES_AUTH_SECRET: _unset, ...without } = process.env;
      await expect(run('docker', ['compose', '-f', COMPOSE_FILE, 'config'], { env: without })).rejects.toMatchObject({
        stderr: expect.stringContaining('SES_AUTH_SECRET'),
      });
    });
  } else {
    process.stdout.write(`[skip] docker compose config: ${composeClient.why}\n`);
    it.skip(`docker compose config [skipped: ${composeClient.why}]`, () => undefined);
  }
});
