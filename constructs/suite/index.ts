export * from './hosts';
export * from './workplace';
export * from './shared-cluster';
