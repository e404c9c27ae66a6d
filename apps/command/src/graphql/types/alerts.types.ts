import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { AlertAction } from './enums';

@InputType()
export class SetAlertRuleInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => Int, { description: 'Alert when seats in use reach this number; at least 1.' })
  thresholdSeats!: number;

  @Field(() => AlertAction, { nullable: true, description: 'Default NOTIFY.' })
  action?: AlertAction;

  /** `[ID!]`: the list is optional, its items are not. */
  @Field(() => [ID], {
    nullable: true,
    description: "Users told of the alert besides the account's administrators.",
  })
  notifyUserIds?: string[];
}

@ObjectType()
export class AlertRulePayload {
  @Field(() => ID)
  ruleId!: string;

  @Field()
  position!: string;
}

@InputType()
export class RemoveAlertRuleInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  ruleId!: string;
}
