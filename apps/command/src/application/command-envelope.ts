import { Command } from '@nestjs/cqrs';
import type { Principal } from '@ses/auth';

/** What every command carries besides its input: who sent it and how to correlate it. */
export interface Envelope {
  principal: Principal;
  /** The client's idempotency key, if any. */
  commandId?: string | null;
  correlationId: string;
}

export abstract class SesCommand<Input, Result> extends Command<Result> {
  constructor(
    readonly envelope: Envelope,
    readonly input: Input,
  ) {
    super();
  }
}

/** Every mutation answers a position: the consistency token for x-ses-min-position. */
export type WithPosition<T> = T & { position: string };
