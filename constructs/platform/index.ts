export * from './app-namespace';
export * from './kubernetes-backend';
