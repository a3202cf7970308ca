import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from './config.ts';

/**
 * The settings tables people read (README's Configuration and the user guide's, which the docs chat answers
 * from) once drifted from the code: a FEATURES default that was not the default, TRUST_PROXY=true, which the
 * service refuses. These tests hold them to the schema in config.ts.
 */
const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const VARIABLES = Object.keys(envSchema.shape) as Array<keyof typeof envSchema.shape>;

/** What the schema makes of an unset variable: a default value, or undefined. */
function schemaDefault(name: keyof typeof envSchema.shape): string | undefined {
  const parsed = envSchema.shape[name].safeParse(undefined);
  if (!parsed.success) throw new Error(`${name} does not accept being unset`);
  return parsed.data === undefined ? undefined : String(parsed.data);
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);

interface Row {
  variables: string[];
  defaultCell: string;
}

/** The rows of every table headed `variable | default | …` in a markdown text. */
function settingsRows(markdown: string): Row[] {
  const rows: Row[] = [];
  let inTable = false;
  for (const line of markdown.split('\n')) {
    const cells = line.trim().startsWith('|')
      ? line
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((cell) => cell.trim())
      : undefined;
    if (!cells) {
      inTable = false;
      continue;
    }
    if (cells[0] === 'variable' && cells[1] === 'default') inTable = true;
    else if (inTable && !/^-+$/.test(cells[0] ?? ''))
      rows.push({ variables: codeSpans(cells[0] ?? ''), defaultCell: cells[1] ?? '' });
  }
  return rows;
}

/**
 * A default cell says "unset…" when the schema has no default for any variable of its row; otherwise its code
 * spans give each variable's default, in the row's order (`7860`, `0.0.0.0` for `PORT`, `HOST`).
 */
function documentedDefaults(row: Row): Array<string | undefined> {
  if (row.defaultCell.startsWith('unset')) return row.variables.map(() => undefined);
  return codeSpans(row.defaultCell).slice(0, row.variables.length);
}

describe.each([
  ['README.md', 'README.md'],
  ['the user guide', 'docs/configuration.md'],
])('the settings table of %s', (_name, path) => {
  const rows = settingsRows(read(path));
  const documented = new Map<string, string | undefined>();
  for (const row of rows) {
    const defaults = documentedDefaults(row);
    row.variables.forEach((variable, i) => {
      documented.set(variable, defaults[i]);
    });
  }

  it('lists every variable the configuration reads, with its default', () => {
    expect(rows.length).toBeGreaterThan(0);
    const listed = VARIABLES.map((name) => [
      name,
      documented.has(name) ? documented.get(name) : 'not listed',
    ]);
    expect(Object.fromEntries(listed)).toEqual(
      Object.fromEntries(VARIABLES.map((name) => [name, schemaDefault(name)])),
    );
  });

  it('lists no variable the configuration does not read', () => {
    expect([...documented.keys()].filter((name) => !VARIABLES.includes(name as never))).toEqual([]);
  });
});

describe('the user guide', () => {
  const guide = readdirSync(new URL('docs/', root)).map((file) => read(`docs/${file}`));

  it('names no environment variable Doable does not read', () => {
    // The stdio MCP command's own two, read by src/cli/mcp.ts rather than the service's configuration; shell
    // variables ($ACCESS_TOKEN) are the reader's own.
    const known = new Set<string>([...VARIABLES, 'DOABLE_TOKEN', 'DOABLE_URL']);
    const named = guide.flatMap((text) =>
      codeSpans(text).flatMap((span) => span.match(/(?<![$\w])[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b/g) ?? []),
    );
    expect([...new Set(named)].filter((name) => !known.has(name))).toEqual([]);
  });
});

it('.env.example names every variable the configuration reads, and no other', () => {
  const named = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
  expect([...new Set(named)].sort()).toEqual([...VARIABLES].sort());
});
