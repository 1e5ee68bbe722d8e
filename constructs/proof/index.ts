export * from './declared-placement';
export * from './sovereign-stack';
export * from './terminal';
export * from './declared-capacity';
