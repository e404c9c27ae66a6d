import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';
import { JSONScalar, type JsonValue } from './json.scalar';
import { Account } from './account.types';

@ObjectType()
export class RecordedEvent {
  @Field({ description: 'Global position, opaque but ordered: events are returned in this order.' })
  position!: string;

  @Field()
  streamId!: string;

  @Field(() => Int, { description: '0-based revision within its stream.' })
  revision!: number;

  @Field()
  type!: string;

  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field(() => JSONScalar)
  data!: JsonValue;

  @Field(() => JSONScalar, { description: 'Includes actor (who), commandId, correlationId and causationId.' })
  metadata!: JsonValue;
}

@ObjectType()
export class EventPage {
  @Field(() => [RecordedEvent])
  events!: RecordedEvent[];

  @Field(() => String, { nullable: true, description: "Pass as 'after' to get the next page; null at the end." })
  nextCursor?: string | null;
}

@ObjectType({ description: "Result of re-computing the hash chain of an account's events." })
export class HistoryVerification {
  @Field()
  ok!: boolean;

  @Field(() => Int)
  eventsChecked!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Position of the first event whose hash does not match; null when ok.',
  })
  firstBrokenPosition?: string | null;
}

@ObjectType({ description: 'The account as it stood at a past instant, rebuilt from its events up to that instant.' })
export class AccountSnapshot {
  @Field(() => DateTimeScalar)
  at!: string;

  @Field(() => Account, { nullable: true })
  account?: Account | null;
}
