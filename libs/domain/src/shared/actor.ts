/**
 * Who issues a command, as the shell resolved it from the token: the operator
 * (scope ses:operator), or a registered user (looked up by the token's email in
 * the service's own state), or a signed-in principal with no registration.
 * Roles are never taken from the token; deciders read them from state.
 */
export type Actor =
  { kind: 'operator'; sub: string } | { kind: 'user'; sub: string; userId: string; accountId: string } | { kind: 'unregistered'; sub: string; email: string };
