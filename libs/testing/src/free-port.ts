// Shared with the quick start, which must not depend on the testing library.
export { freePort } from '@roster/platform';
