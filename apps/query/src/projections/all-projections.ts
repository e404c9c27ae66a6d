import { ANALYTICS_PROJECTIONS } from '../analytics/analytics.projections';
import { AUDIT_PROJECTIONS } from '../audit/audit.projections';
import { directoryProjection } from './directory.projection';
import { historyProjection } from './history.projection';
import { licensingProjection } from './licensing.projection';
import type { Projection } from './projection';
import { onboardingProjection } from '../onboarding/onboarding.projection';

/** Every projection of the query app: the live engine and a rebuild run exactly these. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  directoryProjection,
  historyProjection,
  licensingProjection,
  ...ANALYTICS_PROJECTIONS,
  ...AUDIT_PROJECTIONS,
  onboardingProjection,
];
