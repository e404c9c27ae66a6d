// Runs in every e2e test file. Jest takes `testTimeout` from the global configuration
// only (a project's own `testTimeout` is ignored), so the e2e project sets its default
// here: app start-ups, restarts and kill -9 take seconds on a busy machine, and the
// default 5 s failed tests (and `afterAll` stops) that were merely slow.
jest.setTimeout(30_000);
