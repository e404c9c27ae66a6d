// Prints a bearer token for the embedded default: npm run token -- --email a@b.c [--operator] [--sub ID] [--expires 12h]
import { issueToken } from '@ses/auth';
import { DEVELOPMENT_AUTH_SECRET } from '@ses/platform';
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      operator: { type: 'boolean', default: false },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!values.email && !values.operator) {
    process.stderr.write('usage: npm run token -- --email someone@example.com [--operator] [--sub ID] [--expires 12h]\n');
    process.exit(2);
  }
  const secret = process.env.SES_AUTH_SECRET || DEVELOPMENT_AUTH_SECRET;
  process.stdout.write(`${await issueToken(secret, { email: values.email, operator: values.operator, sub: values.sub, expiresIn: values.expires })}\n`);
}

void main();
