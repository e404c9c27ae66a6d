import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  ACCOUNT_ADMINISTRATOR = 'ACCOUNT_ADMINISTRATOR',
  CO_ADMINISTRATOR = 'CO_ADMINISTRATOR',
  SOFTWARE_DOWNLOAD = 'SOFTWARE_DOWNLOAD',
  AUDITOR = 'AUDITOR',
}

registerEnumType(Role, {
  name: 'Role',
  valuesMap: {
    ACCOUNT_ADMINISTRATOR: { description: 'Full control of the account, including who administers it.' },
    CO_ADMINISTRATOR: {
      description: 'Administers users, groups, alerts and check-outs; cannot grant or revoke the two administrator roles.',
    },
    SOFTWARE_DOWNLOAD: { description: "'Product Delivery - Download': may download installers of entitled products." },
    AUDITOR: { description: "Read-only access to the account's reports and full event history." },
  },
});

export enum AlertAction {
  NOTIFY = 'NOTIFY',
  DENY = 'DENY',
}

registerEnumType(AlertAction, {
  name: 'AlertAction',
  valuesMap: {
    NOTIFY: { description: 'Raise an alert; usage continues (and may incur term license usage).' },
    DENY: { description: 'Raise an alert and deny new usage sessions while seats in use are at or above the threshold.' },
  },
});

export enum DenyReason {
  NOT_REGISTERED = 'NOT_REGISTERED',
  USER_DEACTIVATED = 'USER_DEACTIVATED',
  NOT_ENTITLED = 'NOT_ENTITLED',
  GROUP_RESTRICTED = 'GROUP_RESTRICTED',
  THRESHOLD_REACHED = 'THRESHOLD_REACHED',
}

registerEnumType(DenyReason, { name: 'DenyReason' });
