// The runtime's surface for team setups (workers, migration between stores): PostgreSQL pools and migrations.
// Apart from index.ts so that a desktop `rein run` never loads the PostgreSQL client.
export { sharedPool, inTransaction, migrate, redactUrl, urlPassword, databaseIdentity, DB_KEYCHAIN_SERVICE, type SharedPool } from './postgres/index.ts';
export { isPostgresUrl } from './config/index.ts';
export { newId } from './base/index.ts';
