import { cpus, totalmem } from 'node:os';
import { usageReportBench } from './usage-report.bench';

/** Runs every benchmark and prints ONE JSON document (figures by bench). */
async function main(): Promise<void> {
  const started = new Date();
  const figures = { usageReport: await usageReportBench() };
  const cpu = cpus();
  const machine = { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
  process.stdout.write(`${JSON.stringify({ machine, node: process.version, date: started.toISOString(), figures }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
