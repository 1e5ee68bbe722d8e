export * from './identity-provider';
export * from './keycloak-realm';
export * from './identity';
export * from './files';
export * from './office';
export * from './mail';
export * from './chat';
export * from './wiki';
