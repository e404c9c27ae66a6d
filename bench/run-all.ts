import { cpus, totalmem } from 'node:os';
import { appendBench } from './append.bench';
import { commandLoadBench } from './command-load.bench';
import { historyBench } from './history.bench';
import { liveFanOutBench } from './live-fan-out.bench';
import { notificationsBench } from './notifications.bench';
import { portalBench } from './portal.bench';
import { rebuildBench } from './rebuild.bench';
import { registerUsersBench } from './register-users.bench';
import { seatPoolBench } from './seat-pool.bench';
import { usageReportBench } from './usage-report.bench';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  usageReport: usageReportBench,
  rebuild: rebuildBench,
  seatPool: seatPoolBench,
  liveFanOut: liveFanOutBench,
  portal: portalBench,
  history: historyBench,
  registerUsers: registerUsersBench,
  notifications: notificationsBench,
  commandLoad: commandLoadBench,
  append: appendBench,
};

/** Runs every benchmark (or those named in SES_BENCH_ONLY, comma-separated) and prints ONE JSON document. */
async function main(): Promise<void> {
  const started = new Date();
  const only = process.env.SES_BENCH_ONLY?.split(',').map((name) => name.trim());
  const figures: Record<string, unknown> = {};
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (!only || only.includes(name)) figures[name] = await bench();
  }
  const cpu = cpus();
  const machine = { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
  process.stdout.write(`${JSON.stringify({ machine, node: process.version, date: started.toISOString(), figures }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
