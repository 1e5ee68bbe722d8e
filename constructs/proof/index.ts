export * from './declared-placement';
export * from './sovereign-stack';
