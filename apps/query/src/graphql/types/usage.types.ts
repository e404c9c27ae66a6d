import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';
import { UsageEventType } from './enums';

@ObjectType()
export class UsageEvent {
  @Field(() => UsageEventType)
  type!: UsageEventType;

  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => ID)
  productId!: string;

  @Field()
  machineId!: string;

  @Field(() => DateTimeScalar)
  at!: string;

  @Field()
  termLicenseUsage!: boolean;

  @Field(() => String, { nullable: true })
  denyReason?: string | null;
}
