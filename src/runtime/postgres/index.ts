// PostgreSQL plumbing shared by the stores that have a server implementation: pools, migrations, pgvector, URLs.
export { sharedPool, createPool, inTransaction, DB_KEYCHAIN_SERVICE, type SharedPool, type PoolOptions, type Queryable } from './pool.ts';
export { migrate, unreachable, DatabaseUnreachableError, SchemaVersionError } from './migrate.ts';
export { enableVectors, vectorLiteral, HNSW_MAX_DIMENSIONS } from './vectors.ts';
export { parseStoreLocation, redactUrl, urlPassword, databaseIdentity, literalPasswordProblem, DatabaseUrlError, type StoreLocation } from '../config/index.ts';
