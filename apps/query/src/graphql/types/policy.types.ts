import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType()
export class PolicyProduct {
  @Field(() => ID)
  productId!: string;

  @Field()
  productName!: string;

  @Field()
  allowed!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Why not allowed, as in the command API's DenyReason (null when allowed).",
  })
  denyReason?: string | null;

  @Field(() => Int)
  offlineDays!: number;

  @Field()
  checkoutAllowed!: boolean;

  @Field(() => Int)
  maxCheckoutDays!: number;

  @Field({ description: 'Seats in use are at or above seats owned: a new session would be term license usage.' })
  termLicenseUsageLikely!: boolean;
}

@ObjectType({
  description: 'What the desktop client downloads after sign-in: which products the user may run, until when offline.',
})
export class Policy {
  @Field(() => ID)
  userId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => DateTimeScalar)
  issuedAt!: string;

  @Field(() => DateTimeScalar, { description: 'issuedAt plus the smallest offlineDays among the allowed products.' })
  expiresAt!: string;

  @Field()
  canDownload!: boolean;

  @Field(() => [PolicyProduct])
  products!: PolicyProduct[];

  @Field({ description: 'The same policy as a compact JWS (EdDSA), verifiable offline with signingKeys.' })
  token!: string;
}

@ObjectType()
export class SigningKey {
  @Field(() => ID)
  kid!: string;

  @Field()
  alg!: string;

  @Field({ description: 'SPKI PEM of the Ed25519 public key.' })
  publicKeyPem!: string;
}
