import type { Projection } from '../projections/projection';
import { usageAnalyticsProjection } from './usage-analytics.projection';

/** The read models this feature maintains; the projection engine runs every one of them. */
export const ANALYTICS_PROJECTIONS: Projection[] = [usageAnalyticsProjection];
