import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@InputType()
export class CreateGroupInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  accountId!: string;

  @Field()
  name!: string;

  @Field(() => [ID], { description: 'Products that members of this group may use.' })
  productIds!: string[];
}

@ObjectType()
export class GroupPayload {
  @Field(() => ID)
  groupId!: string;

  @Field()
  position!: string;
}

@InputType()
export class SetGroupProductsInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  groupId!: string;

  @Field(() => [ID])
  productIds!: string[];
}

@InputType()
export class GroupMemberInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  groupId!: string;

  @Field(() => ID)
  userId!: string;
}
