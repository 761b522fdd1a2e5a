// The Rein archive: memory, documents and the schedule ledger as versioned JSONL, for backups and for moving to
// another store.
export { exportArchive, summarizeStores, type ArchiveStores } from './export.ts';
export { importArchive, differences, SCHEDULE_KINDS, type ImportReport, type ImportTarget } from './import.ts';
export { ArchiveError, ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveSummary } from './format.ts';
