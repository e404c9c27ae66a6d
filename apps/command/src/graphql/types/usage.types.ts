import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { DenyReason } from './enums';

// ---------- licensed use (the signed-in user) ----------

@InputType()
export class StartUsageInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Client-generated UUID; a repeat with the same sessionId is the same session (idempotent).',
  })
  sessionId?: string;

  @Field(() => ID)
  productId!: string;

  @Field()
  machineId!: string;

  @Field(() => String, { nullable: true })
  productVersion?: string;
}

@ObjectType()
export class UsageDecision {
  @Field(() => ID)
  sessionId!: string;

  @Field()
  allowed!: boolean;

  @Field(() => DenyReason, { nullable: true })
  denyReason?: DenyReason | null;

  @Field({ description: 'True when this session takes seats in use above the seats owned (overage).' })
  termLicenseUsage!: boolean;

  @Field(() => [String], {
    description: 'Human-readable warnings for the user, e.g. an alert threshold that is reached.',
  })
  warnings!: string[];

  @Field()
  position!: string;
}

@InputType()
export class SessionInput {
  @Field(() => ID, { nullable: true })
  commandId?: string;

  @Field(() => ID)
  sessionId!: string;
}

@ObjectType()
export class SessionPayload {
  @Field(() => ID)
  sessionId!: string;

  @Field()
  position!: string;
}
