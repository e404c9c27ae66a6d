// `npm start`: both apps on the embedded stores, as two processes sharing SES_DATA_DIR.
// Ctrl-C / SIGTERM stops both gracefully; if one dies, the other is stopped too.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const apps = ['command', 'query'];
const children: ChildProcess[] = apps.map((app) =>
  spawn(process.execPath, [join(__dirname, '..', 'apps', app, 'src', 'main.js')], { stdio: 'inherit', env: process.env }),
);

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  let remaining = children.filter((c) => c.exitCode === null).length;
  if (remaining === 0) process.exit(code);
  for (const child of children) child.once('exit', () => --remaining === 0 && process.exit(code));
}

for (const child of children) child.on('exit', (code) => stopAll(code ?? 1));
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
