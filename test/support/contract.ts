import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { DateTimeScalar } from '@ses/platform';
import { buildSchema, type GraphQLSchema } from 'graphql';

const ROOT = join(__dirname, '..', '..');
/** The binding public API, beside the repository (as in CI). */
export const CONTRACT_DIR = join(ROOT, '..', 'shared', 'contract');

export type ApiName = 'command' | 'query';

export function contractSchema(which: ApiName): GraphQLSchema {
  return buildSchema(readFileSync(join(CONTRACT_DIR, `${which}.graphql`), 'utf8'));
}

/** The schema Nest generates from code-first types and these resolvers. */
export async function buildCodeFirstSchema(resolvers: Parameters<GraphQLSchemaFactory['create']>[0]): Promise<GraphQLSchema> {
  // @nestjs/testing is not installed; a plain application context does the same job here.
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    return await app.get(GraphQLSchemaFactory).create(resolvers, { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] });
  } finally {
    await app.close();
  }
}

/** Runs the contract's own checker against a served schema: its exit code and output lines. */
export async function checkServedSchema(which: ApiName, url: string): Promise<{ code: number; lines: string[] }> {
  const run = promisify(execFile);
  const { stdout, code } = await run(process.execPath, [join(CONTRACT_DIR, 'check-schema.mjs'), which, url], { cwd: ROOT }).then(
    (r) => ({ stdout: r.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );
  return { code, lines: stdout.trim().split('\n') };
}
