import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType()
export class Alert {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  ruleId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => DateTimeScalar)
  raisedAt!: string;

  @Field(() => Int)
  seatsInUse!: number;

  @Field(() => Int)
  thresholdSeats!: number;

  @Field(() => Int, { description: 'Seats owned when the alert was raised.' })
  seats!: number;
}
