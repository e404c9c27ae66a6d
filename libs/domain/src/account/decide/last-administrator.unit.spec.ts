import type { DeactivateUser, RevokeRole } from '../account.commands';
import { ADMIN, NOW, PLAIN, deactivated, given, operator, roleGranted, standardAccount } from '../testing/fixtures';

// One rule, two commands that could break it: both go through assertKeepsAnAdministrator.
const revokeAdmin = (userId: string): RevokeRole => ({ type: 'RevokeRole', actor: operator, now: NOW, userId, role: 'ACCOUNT_ADMINISTRATOR' });
const deactivate = (userId: string): DeactivateUser => ({ type: 'DeactivateUser', actor: operator, now: NOW, userId });

describe('the account keeps an active ACCOUNT_ADMINISTRATOR', () => {
  it.each([
    ['revoking the role', revokeAdmin],
    ['deactivating', deactivate],
  ])('%s of the last one is LAST_ADMINISTRATOR', (_, command) => {
    given(standardAccount()).when(command(ADMIN)).thenThrows('LAST_ADMINISTRATOR');
  });

  it.each([
    ['revoking the role', revokeAdmin],
    ['deactivating', deactivate],
  ])('%s of one of two is allowed', (_, command) => {
    expect(
      given([...standardAccount(), roleGranted(PLAIN, 'ACCOUNT_ADMINISTRATOR')])
        .when(command(ADMIN))
        .events(),
    ).toHaveLength(1);
  });

  it.each([
    ['revoking the role', revokeAdmin],
    ['deactivating', deactivate],
  ])('%s does not count a deactivated administrator as another one', (_, command) => {
    given([...standardAccount(), roleGranted(PLAIN, 'ACCOUNT_ADMINISTRATOR'), deactivated(PLAIN)])
      .when(command(ADMIN))
      .thenThrows('LAST_ADMINISTRATOR');
  });
});
