import { Module } from '@nestjs/common';
import { LiveHealthController } from './live-health.controller';
import { LiveEvents } from './live-events';
import { LiveServer } from './live-server';
import { LiveResolver } from './live.resolver';

/** graphql-ws subscriptions of the query app: the fan-out hub, the resolvers and the WebSocket server. */
@Module({ providers: [LiveEvents, LiveResolver, LiveServer], controllers: [LiveHealthController], exports: [LiveEvents] })
export class LiveModule {}
