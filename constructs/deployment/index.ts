export * from './problems';
export * from './schema';
export * from './load';
export { formatPath } from './issues';
export * from './fleet';
export * from './fleet-checks';
