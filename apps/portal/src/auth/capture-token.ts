import { storeToken, tokenFromHash } from './token';

/**
 * Runs first (main.tsx imports it before anything else): moves `#token=<JWT>` into
 * sessionStorage and takes it out of the address bar and the history at once.
 */
const token = tokenFromHash(window.location.hash);
if (token) {
  storeToken(token);
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
