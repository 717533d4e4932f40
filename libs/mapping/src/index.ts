export * from './attribute-mapping';
export * from './default-gotomeeting.mapping';
export * from './provisioning-decision';
export * from './validate-mapping-config';
export * from './compile-job';
export * from './scoping';
export * from './licenses/desired-licenses';
export * from './licenses/license-check';
