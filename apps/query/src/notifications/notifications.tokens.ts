/** The deliverer's own store (notifications-store.ts). */
export const NOTIFICATIONS_STORE = Symbol('NOTIFICATIONS_STORE');
