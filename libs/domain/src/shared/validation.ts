import { DomainError } from './domain-error';

/**
 * Every input limit of the service, in one table (both apps read it): text lengths in
 * characters, list sizes, and inclusive integer ranges [min, max].
 */
export const LIMITS = {
  // text
  name: 200,
  displayName: 200,
  email: 254,
  productId: 100,
  productName: 200,
  machineId: 200,
  productVersion: 100,
  reason: 1000,
  /** The client's idempotency key of a mutation. */
  commandId: 100,
  /** A client-chosen session id. */
  sessionId: 100,
  /** The x-correlation-id header (longer or odd ones are replaced by a fresh id). */
  correlationId: 100,
  /** A webhook's URL and description. */
  webhookUrl: 2048,
  webhookDescription: 500,
  // lists
  listSize: 500,
  /** Event types one eventHistory page may filter by. */
  historyTypes: 100,
  /** Webhooks one account may have at once (each is a delivery lane). */
  webhooksPerAccount: 50,
  // ranges
  seats: [1, 1_000_000],
  offlineDays: [1, 30],
  maxCheckoutDays: [1, 365],
  checkoutDays: [1, 365],
  sessionTtlSeconds: [1, 365 * 24 * 3600],
  /** Events per eventHistory page. */
  historyPage: [1, 1000],
  /** Days a usage report's window may cover. */
  reportWindowDays: [0, 731],
  /** Points one concurrency report may answer. */
  reportPoints: [1, 10_000],
  // onboarding
  /** A host name (an email domain an account claims). */
  domain: 253,
  /** Email domains one account may claim. */
  accountDomains: 100,
  /** Rows of one registerUsers file. */
  bulkRows: [1, 10_000],
  /** Deliveries one webhookDeliveries page may answer. */
  deliveriesPage: [1, 500],
} as const;

/**
 * Collects input problems so one BAD_USER_INPUT names every failing field.
 * Hand-written rather than class-validator: these rules belong to the pure domain
 * (no decorators, no Nest), and they are few.
 */
export class Validator {
  private readonly problems: { field: string; message: string }[] = [];

  check(ok: boolean, field: string, message: string): this {
    if (!ok) this.problems.push({ field, message });
    return this;
  }

  throwIfInvalid(): void {
    if (this.problems.length === 0) return;
    throw new DomainError('BAD_USER_INPUT', this.problems.map((p) => `${p.field}: ${p.message}`).join('; '), [...new Set(this.problems.map((p) => p.field))]);
  }
}

// ISO 3166-1 alpha-2 officially assigned codes (249). Kept as data here because the
// domain must stay free of I/O and locale-loading libraries.
const ISO_3166_ALPHA2 = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

export const isCountryCode = (value: string): boolean => ISO_3166_ALPHA2.has(value);

// Pragmatic address check (what HTML's type=email accepts), bounded to 254 characters.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export const isEmail = (value: string): boolean => value.length <= LIMITS.email && EMAIL.test(value);

/** Trimmed, non-empty, at most `max` characters. */
export const isBoundedText = (value: string, max: number): boolean => value.trim().length > 0 && value.length <= max;

export const isInstant = (value: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));

export const isIntInRange = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;

/** An integer within an inclusive [min, max] range of LIMITS. */
export const isInRange = (value: number, [min, max]: readonly [number, number]): boolean => isIntInRange(value, min, max);
export const describeRange = ([min, max]: readonly [number, number]): string => `an integer ${min}..${max}`;

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

// A DNS host name in lower case (LDH labels of 1..63, at least two labels): what an email's domain part is.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
export const isHostName = (value: string): boolean => value.length <= LIMITS.domain && HOST_NAME.test(value);
export const normalizeDomain = (domain: string): string => domain.trim().toLowerCase();

/** The domain part of an email (normalized), '' when there is none. */
export const emailDomain = (email: string): string => normalizeDomain(email.slice(email.lastIndexOf('@') + 1));
