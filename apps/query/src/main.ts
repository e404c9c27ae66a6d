import { bootstrapApp } from '@ses/platform';
import { AppModule } from './app.module';

void bootstrapApp('query', AppModule, (config) => config.queryPort);
