export * from './config';
export * from './logger';
export * from './graphql-hardening';
export * from './graphql-module-options';
export * from './health.controller';
export * from './bootstrap';
export * from './date-time.scalar';
export * from './bootstrap-app';
