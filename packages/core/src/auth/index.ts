export * from './api-tokens.repository.js';
export * from './auth-config.js';
export * from './auth-service.js';
export type { AuthDatabase } from './auth-tables.js';
export * from './import-meltano-users.js';
export * from './passwords.js';
export * from './sessions.repository.js';
export * from './ui-setup.js';
export * from './users.repository.js';
