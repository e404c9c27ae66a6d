import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType()
export class UsageReportRow {
  @Field(() => ID, { nullable: true, description: 'Each dimension field is set when it is in groupBy, else null.' })
  productId?: string | null;

  @Field(() => ID, { nullable: true })
  userId?: string | null;

  @Field(() => ID, { nullable: true })
  groupId?: string | null;

  @Field(() => String, { nullable: true })
  country?: string | null;

  @Field(() => String, { nullable: true })
  machineId?: string | null;

  @Field(() => String, { nullable: true, description: 'UTC day, YYYY-MM-DD.' })
  day?: string | null;

  @Field(() => Int, { description: 'Sessions started in the window.' })
  sessions!: number;

  @Field(() => Float, { description: 'Minutes of sessions that ended (or timed out) and started in the window.' })
  usageMinutes!: number;

  @Field(() => Int)
  distinctUsers!: number;

  @Field(() => Int, { description: "Most seats in use at any instant in the window, within this row's slice." })
  peakConcurrent!: number;
}

@ObjectType()
export class ConcurrencyPoint {
  @Field(() => DateTimeScalar)
  bucketStart!: string;

  @Field(() => Int, { description: 'Most seats in use at any instant in the bucket.' })
  peakInUse!: number;

  @Field(() => Int, { description: 'Seats owned (active entitlements) at the end of the bucket.' })
  seats!: number;
}

@ObjectType()
export class TermUsageRow {
  @Field(() => ID)
  productId!: string;

  @Field()
  day!: string;

  @Field(() => Int)
  peakInUse!: number;

  @Field(() => Int)
  seats!: number;

  @Field(() => Int, { description: 'max(0, peakInUse - seats)' })
  overage!: number;
}
