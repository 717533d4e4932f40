export * from './directory-source';
export * from './user-scope-diff';
