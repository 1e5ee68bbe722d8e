export * from './hosts';
export * from './workplace';
