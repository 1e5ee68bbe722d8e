export * from './placement';
export * from './rule';
export * from './rules';
export * from './engine';
export * from './format';
export * from './scan';
export * from './phone-home-settings';
