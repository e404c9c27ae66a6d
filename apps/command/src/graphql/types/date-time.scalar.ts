// One DateTime scalar for both APIs (see libs/platform/src/date-time.scalar.ts).
export { DateTimeScalar, ISO_DATE_TIME } from '@ses/platform';
