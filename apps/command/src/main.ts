import { bootstrapApp } from '@ses/platform';
import { AppModule } from './app.module';

void bootstrapApp('command', AppModule, (config) => config.commandPort);
