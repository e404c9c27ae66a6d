import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Role } from './enums';

@InputType()
export class RegisterUserInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  accountId!: string;

  @Field()
  email!: string;

  @Field()
  displayName!: string;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2; default: the account's entitlementCountry." })
  country?: string;
}

@ObjectType()
export class UserPayload {
  @Field(() => ID)
  userId!: string;

  @Field()
  position!: string;
}

@InputType()
export class UserInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  userId!: string;
}

@InputType()
export class RoleInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Role)
  role!: Role;
}
