import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';
import { AlertAction, EntitlementStatus, Role, UserStatus } from './enums';

// Account.entitlements/users/groups/alertRules, User.groups, Group.members and
// Entitlement.status/seatsInUse are filled by @ResolveField resolvers; they are declared
// here so the schema has them (the read-model documents need not carry them).

@ObjectType()
export class Entitlement {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field(() => Int)
  seats!: number;

  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => DateTimeScalar)
  endsAt!: string;

  @Field()
  country!: string;

  @Field(() => Int)
  offlineDays!: number;

  @Field()
  checkoutAllowed!: boolean;

  @Field(() => Int)
  maxCheckoutDays!: number;

  /** @ResolveField */
  @Field(() => EntitlementStatus)
  status!: EntitlementStatus;

  /** @ResolveField */
  @Field(() => Int, {
    description: 'Distinct users with an active usage session or an active check-out of this product, now.',
  })
  seatsInUse!: number;
}

@ObjectType()
export class Group {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field()
  name!: string;

  @Field(() => [ID])
  productIds!: string[];

  /** @ResolveField */
  @Field(() => [User])
  members!: User[];
}

@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field()
  email!: string;

  @Field()
  displayName!: string;

  @Field()
  country!: string;

  @Field(() => UserStatus)
  status!: UserStatus;

  @Field(() => [Role])
  roles!: Role[];

  /** @ResolveField */
  @Field(() => [Group])
  groups!: Group[];

  @Field(() => DateTimeScalar)
  registeredAt!: string;
}

@ObjectType()
export class AlertRule {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => Int)
  thresholdSeats!: number;

  @Field(() => AlertAction)
  action!: AlertAction;

  @Field(() => [ID])
  notifyUserIds!: string[];
}

@ObjectType()
export class Account {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  entitlementCountry!: string;

  @Field(() => DateTimeScalar)
  openedAt!: string;

  /** @ResolveField */
  @Field(() => [Entitlement])
  entitlements!: Entitlement[];

  /** @ResolveField */
  @Field(() => [User])
  users!: User[];

  /** @ResolveField */
  @Field(() => [Group])
  groups!: Group[];

  /** @ResolveField */
  @Field(() => [AlertRule])
  alertRules!: AlertRule[];
}
