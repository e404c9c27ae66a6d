import type { Doc, WriteOp } from '@ses/read-store';
import { positionKey, type ProjectedEvent, type Projection } from '../projections/projection';

export const ONBOARDING = {
  /** One document per account that ever set domains: `_id` is the account id. */
  accountDomains: 'accountDomains',
  /** One document per registration request: `_id` is the request id. */
  registrationRequests: 'registrationRequests',
} as const;

export interface AccountDomainsDoc extends Doc {
  domains: string[];
  autoApprove: boolean;
}

export interface RegistrationRequestDoc extends Doc {
  accountId: string;
  email: string;
  emailNormalized: string;
  displayName: string;
  country: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  requestedAt: string;
  decidedAt: string | null;
  /** The decider's display name (the events carry it); null while pending or when auto-approved. */
  decidedBy: string | null;
  reason: string | null;
  userId: string | null;
  /** The request's position, zero-padded: newest first is this, descending. */
  order: string;
}

/** Account domains and auto-approval, and registration requests with their decisions (extension "onboarding"). */
export const onboardingProjection: Projection = {
  name: 'onboarding',
  version: 1,
  collections: [ONBOARDING.accountDomains, ONBOARDING.registrationRequests],
  indexes: [
    { collection: ONBOARDING.registrationRequests, fields: { accountId: 1 } },
    { collection: ONBOARDING.registrationRequests, fields: { emailNormalized: 1 } },
  ],
  project(event: ProjectedEvent): WriteOp[] {
    const { position } = event;
    const upsert = (collection: string, id: string, $set: Record<string, unknown>): WriteOp[] => [
      { kind: 'upsert', collection, id, update: { $set }, position },
    ];
    switch (event.type) {
      case 'AccountDomainsSet':
        return upsert(ONBOARDING.accountDomains, event.data.accountId, { domains: event.data.domains, autoApprove: event.data.autoApprove });
      case 'RegistrationRequested': {
        const d = event.data;
        return upsert(ONBOARDING.registrationRequests, d.requestId, {
          accountId: d.accountId,
          email: d.email,
          emailNormalized: d.email.trim().toLowerCase(),
          displayName: d.displayName,
          country: d.country,
          status: 'PENDING',
          requestedAt: d.requestedAt,
          decidedAt: null,
          decidedBy: null,
          reason: null,
          userId: null,
          order: positionKey(position),
        });
      }
      case 'RegistrationApproved': {
        const d = event.data;
        return upsert(ONBOARDING.registrationRequests, d.requestId, {
          status: 'APPROVED',
          userId: d.userId,
          decidedAt: d.decidedAt,
          decidedBy: d.decidedByName,
        });
      }
      case 'RegistrationRejected': {
        const d = event.data;
        return upsert(ONBOARDING.registrationRequests, d.requestId, {
          status: 'REJECTED',
          reason: d.reason,
          decidedAt: d.decidedAt,
          decidedBy: d.decidedByName,
        });
      }
      default:
        return [];
    }
  },
};
