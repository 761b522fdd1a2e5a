// Free text → the words a full-text search looks for, the same for both backends (SQLite FTS5, PostgreSQL tsvector).

/** Words that match nearly every note and would make any query recall something. */
const STOPWORDS = new Set(
  'a an and are as at be by can do does for from has have how i in is it its me my of on or our so that the their them then there these this to was we were what when where which who why will with you your'.split(' '),
);

/** Distinct lower-case words of the text, without stop words (letters, digits and `_` only: no query syntax). */
export function searchWords(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).filter((w) => !STOPWORDS.has(w));
  return [...new Set(words)];
}

/** Free text → an FTS5 query: each word quoted (no syntax injection), any word may match, bm25 ranks. */
export function ftsQuery(text: string): string {
  return searchWords(text).map((w) => `"${w}"`).join(' OR ');
}

/** Free text → a PostgreSQL to_tsquery text: each word quoted, any word may match. */
export function tsQuery(text: string): string {
  return searchWords(text).map((w) => `'${w}'`).join(' | ');
}
