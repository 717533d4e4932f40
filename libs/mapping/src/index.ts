export * from './attribute-mapping';
export * from './default-gotomeeting.mapping';
export * from './provisioning-decision';
