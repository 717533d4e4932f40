export * from './compiled-scope';
export * from './scoping-filter';
export { SCOPING_OPERATORS } from './scoping-operators';
export * from './scoping-problem';
export { validateScopingFilters } from './validate-scoping-filters';
