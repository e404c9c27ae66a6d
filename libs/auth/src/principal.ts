/** Who a verified bearer token says the caller is. Roles are never taken from the token. */
export interface Principal {
  sub: string;
  /** Lower-cased email claim; absent for machine principals. */
  email?: string;
  /** The token's scope contains `ses:operator`. */
  operator: boolean;
}

export const OPERATOR_SCOPE = 'ses:operator';
