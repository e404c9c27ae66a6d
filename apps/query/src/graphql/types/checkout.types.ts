import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';
import { CheckoutStatus } from './enums';

@ObjectType()
export class Checkout {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => ID)
  productId!: string;

  @Field()
  machineId!: string;

  @Field(() => DateTimeScalar)
  checkedOutAt!: string;

  @Field(() => DateTimeScalar)
  expiresAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  checkedInAt?: string | null;

  @Field(() => CheckoutStatus)
  status!: CheckoutStatus;
}

@ObjectType({
  description: 'Who holds a seat of a product right now (administrators use it to find and release seats).',
})
export class SeatHolder {
  @Field(() => ID)
  userId!: string;

  @Field(() => [ID], { description: 'Active usage sessions of this user and product.' })
  sessionIds!: string[];

  @Field(() => ID, { nullable: true, description: "The user's active check-out of this product, if any." })
  checkoutId?: string | null;

  @Field(() => DateTimeScalar, { description: 'Since when the user has held the seat without interruption.' })
  since!: string;
}
