export * from './seat-pool.commands';
export * from './seat-pool.events';
export * from './seat-pool.state';
export * from './seat-pool.evolve';
export * from './seat-pool.decider';
export * from './seat-pool.queries';
export { isArmed } from './alerts';
export * from './warnings';
export * from './seat-levels';
