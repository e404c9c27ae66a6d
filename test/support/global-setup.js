// Runs once before all test projects: finds out whether a container runtime exists
// so that testcontainers suites can skip with one clear line where there is none.
module.exports = async function globalSetup() {
  if (process.env.SES_CONTAINER_RUNTIME) return;
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await getContainerRuntimeClient();
    process.env.SES_CONTAINER_RUNTIME = 'available';
  } catch (error) {
    process.env.SES_CONTAINER_RUNTIME = `unavailable: ${String(error && error.message ? error.message : error).split('\n')[0]}`;
  }
};
