import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { describeWithContainers } from '../../../../../test/support/containers';
import { lookupsContract } from '../lookups/lookups.contract';
import { MongoCommandIndexStore } from './mongo-command-index-store';

describeWithContainers('MongoDB command index store', () => {
  let container: StartedTestContainer;
  let url: string;

  beforeAll(async () => {
    container = await new GenericContainer('mongo:7').withExposedPorts(27017).withWaitStrategy(Wait.forLogMessage('Waiting for connections')).start();
    url = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/ses_contract`;
  }, 120_000);
  afterAll(async () => {
    await container?.stop();
  });

  // Declared now, run later: the factory reads `url` once beforeAll has set it. One database per test.
  lookupsContract('MongoCommandIndexStore', (where) => MongoCommandIndexStore.connect(url, where));
});
