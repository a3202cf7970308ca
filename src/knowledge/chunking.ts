import type { Token, Tokens } from 'marked';
import { loadOnFirstUse } from '../module-loading.ts';

/** The markdown lexer, loaded by the first ingest rather than at start (20 ms; a start only compares hashes). */
const markedModule = loadOnFirstUse<typeof import('marked')>('marked');

/** One passage of a document, as it is indexed and returned as a source. */
export interface Chunk {
  /** The headings above the passage, outermost first; skipped levels leave no gap. */
  heading_path: string[];
  /** The passage's markdown, without its heading (the heading path is indexed beside it). */
  text: string;
  /** 1-based line of the source where the passage starts. */
  start_line: number;
}

export interface ParsedDocument {
  /** From the front matter's `title`, else the first level-1 heading. */
  title: string | undefined;
  chunks: Chunk[];
}

export interface ChunkingOptions {
  /**
   * The lexer reads the source in pieces of about this many characters, cut only where a block must start
   * (see `pieces`), so that an async caller can yield between them. The chunks are the same whatever the size.
   */
  pieceChars?: number;
  /**
   * A chunk grows block by block up to this many characters. A block larger than that is split: a paragraph
   * at sentence boundaries, a list between its items. Code blocks and tables are kept whole whatever their size,
   * since half a table or half a program answers nothing.
   */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 1500;

/**
 * marked lexes real documentation at about 0.1-0.17 ms per KB here (2 MB: 220-340 ms), so a piece of 64 KB holds
 * the event loop some 10 ms.
 */
export const DEFAULT_PIECE_CHARS = 64 * 1024;

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

/**
 * Splits markdown into passages that follow its structure: a passage never crosses a heading, carries the path
 * of headings above it, and keeps code fences and tables whole (marked's lexer knows that a `#` inside a fence
 * is code). Front matter is read for the title and not indexed. Pure: the same text gives the same chunks.
 */
export function chunkMarkdown(markdown: string, options: ChunkingOptions = {}): ParsedDocument {
  const steps = chunkSteps(markdown, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** chunkMarkdown, calling `pause` (a turn of the event loop) between the pieces the lexer reads. */
export async function chunkMarkdownYielding(
  markdown: string,
  pause: () => Promise<unknown>,
  options: ChunkingOptions = {},
): Promise<ParsedDocument> {
  const steps = chunkSteps(markdown, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

function* chunkSteps(markdown: string, options: ChunkingOptions): Generator<void, ParsedDocument> {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  let source = markdown.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  let line = 1;
  let title: string | undefined;
  const frontMatter = FRONT_MATTER.exec(source);
  if (frontMatter) {
    title = frontMatterTitle(frontMatter[1] ?? '');
    line += countLines(frontMatter[0]);
    source = source.slice(frontMatter[0].length);
  }

  const chunks: Chunk[] = [];
  const headings: string[] = [];
  let blocks: Block[] = [];
  const flush = () => {
    chunks.push(...packSection(headings.filter(Boolean), blocks, maxChars));
    blocks = [];
  };

  let first = true;
  for (const piece of pieces(source, options.pieceChars ?? DEFAULT_PIECE_CHARS)) {
    if (!first) yield;
    first = false;
    for (const token of markedModule().marked.lexer(piece)) {
      const start = line;
      line += countLines(token.raw);
      if (token.type === 'heading') {
        flush();
        const { depth, text } = token as Tokens.Heading;
        const heading = plainInline(text);
        if (depth === 1 && title === undefined) title = heading;
        headings.length = depth - 1;
        headings[depth - 1] = heading;
      } else if (token.type !== 'space' && !isComment(token)) {
        blocks.push(...splitBlock(token, start, maxChars));
      }
    }
  }
  flush();
  return { title, chunks };
}

const BLANK = /^[ \t]*$/;
/** A line that starts a block wherever it follows a blank line outside a fence or an HTML block. */
const BLOCK_START = /^(?: {0,3}#{1,6}(?:[ \t]|$)|[A-Za-z])/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** HTML blocks that blank lines do not end (CommonMark's kinds 1 to 5), and what ends each. */
const HTML_OPENERS: Array<[RegExp, RegExp]> = [
  [/^ {0,3}<(script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
  [/^ {0,3}<![A-Za-z]/, />/],
];

/**
 * The source cut into pieces of at least `size` characters, each cut before a line that starts a block in any
 * case: an ATX heading or a line beginning with a letter at the margin, after a blank line, outside fenced code
 * and outside the HTML blocks that blank lines do not end. Such a line closes every open list, quote, table or
 * paragraph, so lexing the pieces one after the other gives the tokens of the whole. Where it is not sure, it
 * does not cut: a document without such lines is one piece.
 */
export function* pieces(source: string, size: number): Generator<string> {
  if (source.length <= size) {
    yield source;
    return;
  }
  let pieceStart = 0;
  let at = 0;
  let previousBlank = true;
  let fence: { char: string; length: number } | undefined;
  let htmlEnd: RegExp | undefined;
  while (at < source.length) {
    const end = source.indexOf('\n', at);
    const next = end === -1 ? source.length : end + 1;
    const text = source.slice(at, end === -1 ? source.length : end);
    if (fence) {
      const close = FENCE.exec(text);
      if (close?.[1]?.[0] === fence.char && close[1].length >= fence.length && BLANK.test(close[2] ?? ''))
        fence = undefined;
    } else if (htmlEnd) {
      if (htmlEnd.test(text)) htmlEnd = undefined;
    } else {
      if (previousBlank && at - pieceStart >= size && BLOCK_START.test(text)) {
        yield source.slice(pieceStart, at);
        pieceStart = at;
      }
      const open = FENCE.exec(text);
      if (open?.[1] && !(open[1][0] === '`' && open[2]?.includes('`')))
        fence = { char: open[1][0] ?? '`', length: open[1].length };
      else {
        const html = HTML_OPENERS.find(([opener]) => opener.test(text));
        if (html && !html[1].test(text.replace(html[0], ''))) htmlEnd = html[1];
      }
    }
    previousBlank = BLANK.test(text);
    at = next;
  }
  yield source.slice(pieceStart);
}

interface Block {
  text: string;
  line: number;
}

/** Packs a section's blocks into chunks of at most maxChars (a single larger block is a chunk of its own). */
function packSection(headingPath: string[], blocks: Block[], maxChars: number): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Block | undefined;
  for (const block of blocks) {
    if (current && current.text.length + 2 + block.text.length <= maxChars) {
      current.text = `${current.text}\n\n${block.text}`;
      continue;
    }
    if (current)
      chunks.push({ heading_path: [...headingPath], text: current.text, start_line: current.line });
    current = { ...block };
  }
  if (current) chunks.push({ heading_path: [...headingPath], text: current.text, start_line: current.line });
  return chunks;
}

/** A top-level token as blocks no larger than maxChars, except code and tables, which stay whole. */
function splitBlock(token: Token, line: number, maxChars: number): Block[] {
  const text = token.raw.trim();
  if (!text) return [];
  if (text.length <= maxChars || token.type === 'code' || token.type === 'table') return [{ text, line }];
  if (token.type === 'list') {
    const blocks: Block[] = [];
    let itemLine = line;
    for (const item of (token as Tokens.List).items) {
      blocks.push(...splitBlock(item, itemLine, maxChars));
      itemLine += countLines(item.raw);
    }
    return blocks;
  }
  return splitSentences(text, maxChars).map((piece) => ({
    text: piece,
    line: line + countLines(lead(text, piece)),
  }));
}

/** The part of `text` before `piece` (pieces are taken from text in order, so the first match is the one). */
function lead(text: string, piece: string): string {
  const at = text.indexOf(piece.slice(0, 40));
  return at > 0 ? text.slice(0, at) : '';
}

/** A sentence ends at . ! or ? before a capital or a digit, but not after e.g., i.e., etc., vs. or cf. */
export const SENTENCE_END =
  /(?<!\b(?:e\.g|i\.e|etc|vs|cf)\.)(?<=[.!?]["')\]]?)\s+(?=["'([*_`]?[\p{Lu}\p{N}])/u;

/** Greedy: whole sentences while they fit; a sentence longer than the budget is cut between words. */
function splitSentences(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const sentence of text.split(SENTENCE_END).flatMap((s) => splitWords(s, maxChars))) {
    if (current && current.length + 1 + sentence.length > maxChars) {
      pieces.push(current);
      current = sentence;
    } else {
      current = current ? `${current} ${sentence}` : sentence;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

function splitWords(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const cut = rest.lastIndexOf(' ', maxChars);
    const at = cut > maxChars / 2 ? cut : maxChars;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

function frontMatterTitle(yaml: string): string | undefined {
  const match = /^title:[ \t]*(.+?)[ \t]*$/m.exec(yaml);
  if (!match?.[1]) return undefined;
  const value = match[1].replace(/^(["'])(.*)\1$/, '$2').trim();
  return value || undefined;
}

/** Heading text without inline markup: `code`, **bold**, [links](url), <tags> (underscores stay: snake_case). */
function plainInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function isComment(token: Token): boolean {
  return token.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(token.raw);
}

function countLines(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\n') count++;
  return count;
}
