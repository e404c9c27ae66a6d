import { Module } from '@nestjs/common';
import { LiveEvents } from './live-events';
import { LiveResolver } from './live.resolver';

@Module({ providers: [LiveEvents, LiveResolver], exports: [LiveEvents] })
export class LiveModule {}
