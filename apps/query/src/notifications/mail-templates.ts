/**
 * What is mailed (contract extension "notifications", "Email"): for each event type, whom
 * it goes to and what it says. Keyed by type name, so an event type the catalogue does not
 * have yet (RegistrationRequested, from the onboarding extension) is mailed as soon as it
 * is appended, with no change here.
 */
export interface MailTemplate {
  /** The account's active ACCOUNT_ADMINISTRATORs and CO_ADMINISTRATORs receive it; plus, when set, the users the alert rule named in `data[ruleField]` notifies. */
  notifyRuleField?: string;
  subject(data: Record<string, unknown>): string;
  text(data: Record<string, unknown>): string;
}

const field = (data: Record<string, unknown>, name: string): string => {
  const value = data[name];
  return value === undefined || value === null ? '' : String(value);
};

export const MAIL_TEMPLATES: Readonly<Record<string, MailTemplate>> = {
  AlertRaised: {
    notifyRuleField: 'ruleId',
    subject: (d) => `License alert: ${field(d, 'productId')} has ${field(d, 'seatsInUse')} seats in use (threshold ${field(d, 'thresholdSeats')})`,
    text: (d) =>
      [
        `A license alert rule of your account fired.`,
        ``,
        `Product: ${field(d, 'productId')}`,
        `Seats in use: ${field(d, 'seatsInUse')} of ${field(d, 'seats')} owned`,
        `Threshold: ${field(d, 'thresholdSeats')}`,
        `Raised at: ${field(d, 'raisedAt')}`,
        `Rule: ${field(d, 'ruleId')}`,
        `Alert: ${field(d, 'alertId')}`,
      ].join('\n'),
  },
  RegistrationRequested: {
    subject: (d) => `Registration request: ${field(d, 'displayName') || field(d, 'email')} asks to join your account`,
    text: (d) =>
      [
        `A person asked to be registered as a user of your account.`,
        ``,
        `Name: ${field(d, 'displayName')}`,
        `Email: ${field(d, 'email')}`,
        `Country: ${field(d, 'country')}`,
        `Request: ${field(d, 'requestId')}`,
        ``,
        `Approve or reject it with approveRegistration / rejectRegistration.`,
      ].join('\n'),
  },
};

export const isMailed = (type: string): boolean => Object.hasOwn(MAIL_TEMPLATES, type);
