import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';

@InputType()
export class CheckOutInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  productId!: string;

  @Field()
  machineId!: string;

  @Field(() => Int, {
    description:
      "1..365, and at most the entitlement's maxCheckoutDays (else CHECKOUT_TOO_LONG). The check-out never outlives the entitlement: expiresAt = min(now + days, endsAt).",
  })
  days!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'An administrator may check out for another user of the account; default: the caller.',
  })
  userId?: string;
}

@ObjectType()
export class CheckoutPayload {
  @Field(() => ID)
  checkoutId!: string;

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

  @Field({ description: "Compact JWS (EdDSA) license file, verifiable offline with the query API's signingKeys." })
  license!: string;

  @Field()
  position!: string;
}

@InputType()
export class BulkCheckOutInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => [ID])
  userIds!: string[];

  @Field(() => Int)
  days!: number;

  @Field(() => String, { nullable: true })
  machineId?: string;
}

@ObjectType()
export class BulkCheckoutPayload {
  @Field(() => [CheckoutPayload], {
    description: 'All or nothing: either every user got a check-out, or the command failed and none did.',
  })
  checkouts!: CheckoutPayload[];

  @Field()
  position!: string;
}

@InputType()
export class CheckInInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  checkoutId!: string;
}

@ObjectType()
export class CheckInPayload {
  @Field(() => ID)
  checkoutId!: string;

  @Field()
  position!: string;
}
