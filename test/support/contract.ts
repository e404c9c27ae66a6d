import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { buildSchema, type GraphQLSchema } from 'graphql';

const ROOT = join(__dirname, '..', '..');
/** The binding public API, beside the repository (as in CI). */
export const CONTRACT_DIR = join(ROOT, '..', 'shared', 'contract');

export type ApiName = 'command' | 'query';

/** Where each app keeps the SDL it serves (schema-first: see README "GraphQL schema"). */
export const SCHEMA_DIRS: Record<ApiName, string> = {
  command: join(ROOT, 'apps', 'command', 'src', 'graphql', 'schema'),
  query: join(ROOT, 'apps', 'query', 'src', 'graphql', 'schema'),
};

/**
 * The contract file that an app's SDL file copies: `command.graphql` is contract/command.graphql,
 * `onboarding.command.graphql` is contract/extensions/onboarding.command.graphql. Undefined for a
 * file of the app's own (additions beyond the contract).
 */
export function contractFileOf(name: string): string | undefined {
  return [join(CONTRACT_DIR, name), join(CONTRACT_DIR, 'extensions', name)].find((path) => existsSync(path));
}

/** The contract extensions an app serves: those whose file its schema folder holds (e.g. ['onboarding']). */
export function servedExtensions(which: ApiName): string[] {
  const suffix = `.${which}.graphql`;
  return readdirSync(SCHEMA_DIRS[which])
    .filter((name) => name.endsWith(suffix) && existsSync(join(CONTRACT_DIR, 'extensions', name)))
    .map((name) => name.slice(0, -suffix.length))
    .sort();
}

/** The contract of one API, with the given extensions added (as check-schema.mjs reads it). */
export function contractSchema(which: ApiName, extensions: readonly string[] = servedExtensions(which)): GraphQLSchema {
  const files = [join(CONTRACT_DIR, `${which}.graphql`), ...extensions.map((name) => join(CONTRACT_DIR, 'extensions', `${name}.${which}.graphql`))];
  return buildSchema(files.map((file) => readFileSync(file, 'utf8')).join('\n'));
}

/**
 * The executable schema GraphQLModule builds from these options and resolver classes, as the
 * app does at start-up, without an HTTP server (resolvers and scalars attached).
 */
export async function buildServedSchema(options: Omit<ApolloDriverConfig, 'driver'>, providers: Provider[]): Promise<GraphQLSchema> {
  // @nestjs/testing is not installed; a plain application context does the same job here.
  const app = await NestFactory.createApplicationContext(
    { module: class ServedSchemaModule {}, imports: [GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, ...options })], providers },
    { logger: false, abortOnError: false },
  );
  try {
    return app.get(GraphQLSchemaHost).schema;
  } finally {
    await app.close();
  }
}

/** The checker's summary line when a served schema breaks nothing (the extensions it serves included). */
export function noBreakingChangesLine(which: ApiName): string {
  const extensions = servedExtensions(which);
  return `0 breaking changes against contract/${which}.graphql${extensions.length ? ` + ${extensions.join(', ')}` : ''}`;
}

/** Runs the contract's own checker against a served schema (with the extensions the app serves): its exit code and output lines. */
export async function checkServedSchema(which: ApiName, url: string): Promise<{ code: number; lines: string[] }> {
  const run = promisify(execFile);
  const args = [join(CONTRACT_DIR, 'check-schema.mjs'), which, url, ...servedExtensions(which)];
  const { stdout, code } = await run(process.execPath, args, { cwd: ROOT }).then(
    (r) => ({ stdout: r.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );
  return { code, lines: stdout.trim().split('\n') };
}
