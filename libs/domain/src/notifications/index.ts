export * from './webhook-addresses';
export * from './webhook-url';
export * from './webhook-event-types';
export * from './retry-schedule';
