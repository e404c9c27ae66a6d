import { checkServedSchema } from '../../support/contract';
import { SesStack } from '../../support/ses-stack';

describe('the served schemas keep the contract', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  it.each(['command', 'query'] as const)('%s: 0 breaking changes against the contract', async (which) => {
    const { code, lines } = await checkServedSchema(which, stack[which].url);
    // The checker ran (introspection worked) and summarised: nothing above the summary, exit 0.
    expect(lines).toEqual([`0 breaking changes against contract/${which}.graphql`]);
    expect(code).toBe(0);
  });
});
