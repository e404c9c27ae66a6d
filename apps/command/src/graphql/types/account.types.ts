import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';

// ---------- operator (back office / order fulfilment) ----------

@InputType()
export class ContactInput {
  @Field()
  email!: string;

  @Field()
  displayName!: string;
}

@InputType()
export class OpenAccountInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Idempotency key: a retry with the same commandId returns the first result and appends nothing.',
  })
  commandId?: string;

  @Field()
  name!: string;

  @Field({ description: 'ISO 3166-1 alpha-2, upper case.' })
  entitlementCountry!: string;

  @Field(() => ContactInput, {
    description: 'Becomes a registered user of the account with ACCOUNT_ADMINISTRATOR and SOFTWARE_DOWNLOAD.',
  })
  fulfillmentContact!: ContactInput;
}

@ObjectType()
export class OpenAccountPayload {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  fulfillmentContactUserId!: string;

  @Field({ description: 'Opaque consistency token: pass it to the query API as header x-ses-min-position.' })
  position!: string;
}

@InputType()
export class GrantEntitlementInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field(() => Int, { description: 'Seats owned; at least 1.' })
  seats!: number;

  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => DateTimeScalar, { description: 'Must be after startsAt.' })
  endsAt!: string;

  @Field(() => String, { nullable: true, description: "Default: the account's entitlementCountry." })
  country?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'How long a signed policy stays valid without contact; 1..30, default 7.',
  })
  offlineDays?: number;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  checkoutAllowed?: boolean;

  @Field(() => Int, { nullable: true, description: 'Longest check-out in days; 1..365, default 30.' })
  maxCheckoutDays?: number;
}

@ObjectType()
export class EntitlementPayload {
  @Field(() => ID)
  entitlementId!: string;

  @Field()
  position!: string;
}

@InputType()
export class RevokeEntitlementInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  entitlementId!: string;

  @Field(() => String, { nullable: true })
  reason?: string;
}
