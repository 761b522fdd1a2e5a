// One document parsed inside a parser's thread: formats.ts (its inflate guards first), then the output limits
// (paragraphs, characters), then passages when ingesting.
import { chunkBlocks } from '../chunker.ts';
import { UnreadableFileError } from './blocks.ts';
import { parseFile } from './formats.ts';
import { ParseLimitError } from './limits.ts';
import type { ParseJob, ParseOutput, ParseReply } from './protocol.ts';

export async function runParseJob(job: ParseJob): Promise<ParseReply> {
  try {
    return { ok: true, output: await parse(job) };
  } catch (error) {
    if (error instanceof ParseLimitError) return { ok: false, kind: 'limit', message: error.message };
    if (error instanceof UnreadableFileError) return { ok: false, kind: 'unreadable', message: error.message, skip: error.skip };
    return { ok: false, kind: 'unreadable', message: `could not be parsed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function parse(job: ParseJob): Promise<ParseOutput> {
  const { limits } = job;
  const parsed = await parseFile(job.format, job.bytes, job.name, limits);
  if (parsed.blocks.length > limits.maxParagraphs) throw new ParseLimitError(`more than ${limits.maxParagraphs.toLocaleString('en-US')} paragraphs (knowledge.parse.max_paragraphs)`);
  let chars = 0;
  for (const block of parsed.blocks) chars += block.text.length;
  if (chars > limits.maxChars) throw new ParseLimitError(`more than ${limits.maxChars.toLocaleString('en-US')} characters of text (knowledge.parse.max_chars)`);
  const pages = parsed.pages !== undefined ? { pages: parsed.pages } : {};
  return job.chunk ? { chunks: chunkBlocks(parsed.blocks, job.chunk), ...pages } : { blocks: parsed.blocks, ...pages };
}
