export * from './config';
export * from './logger';
export * from './graphql-hardening';
export * from './graphql-module-options';
export * from './health.controller';
export * from './bootstrap';
