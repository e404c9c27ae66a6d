export { enableWalMode, type WalModeOptions } from './wal-mode';
