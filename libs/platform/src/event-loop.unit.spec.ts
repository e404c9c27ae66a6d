import { eventLoopWatch } from './event-loop';

describe('eventLoopWatch', () => {
  it("counts a loop kept busy by the process's own work as blocked", async () => {
    eventLoopWatch.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Keep the loop busy for 200 ms of its own time (on a busy machine this may take longer and still counts 200 ms).
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user + process.cpuUsage(start).system < 200_000);
    // The next tick of the watch measures the block.
    const deadline = Date.now() + 5000;
    while (eventLoopWatch.report().blockedMaxMs < 150 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(eventLoopWatch.report().blockedMaxMs).toBeGreaterThanOrEqual(150);
    expect(eventLoopWatch.report().delayMaxMs).toBeGreaterThanOrEqual(150);
  });
});
