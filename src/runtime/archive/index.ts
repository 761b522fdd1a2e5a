// The Rein archive: memory and documents as versioned JSONL, for backups and for moving to another store.
export { exportArchive, summarizeStores } from './export.ts';
export { importArchive, differences, type ImportReport, type ImportTarget } from './import.ts';
export { ArchiveError, ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveSummary } from './format.ts';
