import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** What the CLI and the first-start seed ingest: markdown and text files. */
export const DOCUMENT_FILE = /\.(md|mdx|markdown|txt)$/i;

export interface FoundFile {
  /** Relative to the folder given, with forward slashes: the document's path. */
  path: string;
  absolute: string;
}

/** Every markdown or text file under `dir`, recursively, in a stable order; dot-folders and node_modules skipped. */
export async function findDocumentFiles(dir: string): Promise<FoundFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && DOCUMENT_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(
      (absolute) =>
        !relative(dir, absolute)
          .split(sep)
          .some((part) => part.startsWith('.') || part === 'node_modules'),
    )
    .sort()
    .map((absolute) => ({ path: relative(dir, absolute).split(sep).join('/'), absolute }));
}

export async function readDocumentFile(file: FoundFile): Promise<string> {
  const buffer = await readFile(file.absolute);
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new Error('it is not UTF-8 text; save it as UTF-8');
  }
  if (content.includes('\u0000')) throw new Error('it contains NUL characters, so it is not a text file');
  return content;
}
