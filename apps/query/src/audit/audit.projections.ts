import type { Projection } from '../projections/projection';
import { accountStreamsProjection } from './account-streams.projection';

/** The read models this feature maintains; the projection engine runs every one of them. */
export const AUDIT_PROJECTIONS: Projection[] = [accountStreamsProjection];
