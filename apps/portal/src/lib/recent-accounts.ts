/** Accounts the operator opened lately (localStorage: ids and names only, no tokens). */
const KEY = 'ses.portal.recentAccounts';

export interface RecentAccount {
  id: string;
  name: string;
}

export function readRecentAccounts(): RecentAccount[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((a): a is RecentAccount => typeof a?.id === 'string' && typeof a?.name === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

export function rememberAccount(account: RecentAccount): void {
  try {
    const next = [account, ...readRecentAccounts().filter((a) => a.id !== account.id)].slice(0, 10);
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full or disabled: the list is a convenience only
  }
}
