export * from './shared/domain-error';
export * from './shared/actor';
export * from './shared/validation';
export * from './shared/decider';
