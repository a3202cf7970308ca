import { describe, expect, it } from 'vitest';
import { chunkMarkdown, chunkMarkdownYielding, pieces } from './chunking.ts';
import { findDocumentFiles, readDocumentFile } from './files.ts';

const md = (lines: string[]) => lines.join('\n');

describe('chunkMarkdown', () => {
  it('follows headings and carries the path of headings above each passage', () => {
    const doc = md([
      '# Guide',
      'Welcome.',
      '',
      '## Install',
      'Run npm install.',
      '',
      '### From source',
      'Clone it.',
      '',
      '## Use',
      'Start it.',
    ]);
    expect(chunkMarkdown(doc)).toEqual({
      title: 'Guide',
      chunks: [
        { heading_path: ['Guide'], text: 'Welcome.', start_line: 2 },
        { heading_path: ['Guide', 'Install'], text: 'Run npm install.', start_line: 5 },
        { heading_path: ['Guide', 'Install', 'From source'], text: 'Clone it.', start_line: 8 },
        { heading_path: ['Guide', 'Use'], text: 'Start it.', start_line: 11 },
      ],
    });
  });

  it('reads a # line inside a code fence as code, not as a heading, and keeps the fence whole', () => {
    const doc = md(['## Shell', 'Try this:', '', '```sh', '# a comment', 'echo hi', '```', '', 'Done.']);
    expect(chunkMarkdown(doc).chunks).toEqual([
      {
        heading_path: ['Shell'],
        text: 'Try this:\n\n```sh\n# a comment\necho hi\n```\n\nDone.',
        start_line: 2,
      },
    ]);
  });

  it('reads the title from front matter and does not index the front matter', () => {
    const doc = md(['---', 'title: "Getting started"', 'sidebar: 2', '---', 'First steps.']);
    expect(chunkMarkdown(doc)).toEqual({
      title: 'Getting started',
      chunks: [{ heading_path: [], text: 'First steps.', start_line: 5 }],
    });
  });

  it('keeps the front-matter title over the first heading', () => {
    const doc = md(['---', 'title: Real title', '---', '# Heading', 'Body.']);
    expect(chunkMarkdown(doc).title).toBe('Real title');
  });

  it('keeps a nested list in one passage', () => {
    const doc = md(['## Steps', '- one', '  - one point one', '    1. deep', '- two']);
    expect(chunkMarkdown(doc).chunks).toEqual([
      {
        heading_path: ['Steps'],
        text: '- one\n  - one point one\n    1. deep\n- two',
        start_line: 2,
      },
    ]);
  });

  it('keeps a table whole even when it is larger than the size bound', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `| key${i} | a value for row number ${i} |`);
    const table = ['| name | value |', '| --- | --- |', ...rows].join('\n');
    const { chunks } = chunkMarkdown(md(['## Settings', table]), { maxChars: 200 });
    expect(chunks).toEqual([{ heading_path: ['Settings'], text: table, start_line: 2 }]);
  });

  it('does not take a table written inside a code fence for a table', () => {
    const doc = md(['```', '| a | b |', '|---|---|', '```']);
    expect(chunkMarkdown(doc).chunks).toEqual([
      { heading_path: [], text: '```\n| a | b |\n|---|---|\n```', start_line: 1 },
    ]);
  });

  it('chunks a file without any heading, with no title', () => {
    expect(chunkMarkdown('Just a note.\n\nAnd another paragraph.\n')).toEqual({
      title: undefined,
      chunks: [{ heading_path: [], text: 'Just a note.\n\nAnd another paragraph.', start_line: 1 }],
    });
  });

  it('splits a huge paragraph at sentence boundaries within the size bound', () => {
    const sentences = Array.from({ length: 12 }, (_, i) => `Sentence number ${i} says something useful.`);
    const { chunks } = chunkMarkdown(md(['# Long', sentences.join(' ')]), { maxChars: 150 });
    expect(chunks.map((c) => c.text)).toEqual([
      sentences.slice(0, 3).join(' '),
      sentences.slice(3, 6).join(' '),
      sentences.slice(6, 9).join(' '),
      sentences.slice(9, 12).join(' '),
    ]);
    expect(chunks.every((c) => c.text.length <= 150 && c.start_line === 2)).toBe(true);
  });

  it('does not end a sentence at e.g. or i.e.', () => {
    const text = 'Use a server, e.g. Ollama. Then ask, i.e. Query it. Done.';
    expect(chunkMarkdown(text, { maxChars: 30 }).chunks.map((c) => c.text)).toEqual([
      'Use a server, e.g. Ollama.',
      'Then ask, i.e. Query it. Done.',
    ]);
  });

  it('cuts a single sentence longer than the bound between words', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const { chunks } = chunkMarkdown(words, { maxChars: 100 });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => c.text.length <= 100)).toBe(true);
    expect(chunks.map((c) => c.text).join(' ')).toBe(words);
  });

  it('splits a long list between items and packs the items back up to the bound', () => {
    const items = Array.from({ length: 8 }, (_, i) => `- item ${i} with a little text`);
    const { chunks } = chunkMarkdown(md(['## List', ...items]), { maxChars: 100 });
    expect(chunks.map((c) => [c.text, c.start_line])).toEqual([
      [`${items[0]}\n\n${items[1]}\n\n${items[2]}`, 2],
      [`${items[3]}\n\n${items[4]}\n\n${items[5]}`, 5],
      [`${items[6]}\n\n${items[7]}`, 8],
    ]);
  });

  it('leaves no gap for skipped heading levels and pops back correctly', () => {
    const doc = md(['# Top', '#### Deep', 'deep text', '## Mid', 'mid text']);
    expect(chunkMarkdown(doc).chunks).toEqual([
      { heading_path: ['Top', 'Deep'], text: 'deep text', start_line: 3 },
      { heading_path: ['Top', 'Mid'], text: 'mid text', start_line: 5 },
    ]);
  });

  it('keeps text before the first heading, drops comments and strips inline markup from headings', () => {
    const doc = md(['Preamble.', '', '<!-- hidden -->', '', '## The `max_results` [option](x.md)', 'Body.']);
    expect(chunkMarkdown(doc).chunks).toEqual([
      { heading_path: [], text: 'Preamble.', start_line: 1 },
      { heading_path: ['The max_results option'], text: 'Body.', start_line: 6 },
    ]);
  });

  it('reads Windows line endings like Unix ones', () => {
    expect(chunkMarkdown('# A\r\nBody\r\n').chunks).toEqual([
      { heading_path: ['A'], text: 'Body', start_line: 2 },
    ]);
  });
});

describe('chunkMarkdown in pieces', () => {
  const both = (doc: string) => [
    chunkMarkdown(doc, { pieceChars: Number.POSITIVE_INFINITY }),
    chunkMarkdown(doc, { pieceChars: 1 }),
  ];

  it('cuts only where a block starts, so that lexing the pieces gives the chunks of the whole', () => {
    const doc = md([
      '# Guide',
      '',
      'Intro paragraph.',
      '',
      '```md',
      '# not a heading',
      '',
      'still code',
      '```',
      '',
      '<!--',
      '',
      '# commented out',
      '',
      '-->',
      '',
      '<pre>',
      '',
      'Preformatted',
      '',
      '</pre>',
      '',
      '- a list',
      '',
      '  continued item',
      '',
      'After the list.',
      '',
      '> quoted',
      '',
      'Setext heading',
      '--------------',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '## Next',
      '',
      '~~~',
      '',
      '## code too',
      '~~~',
      'Last line.',
    ]);
    expect([...pieces(doc, 1)].length).toBe(5);
    expect([...pieces(doc, 1)].join('')).toBe(doc);
    const [whole, cut] = both(doc);
    expect(cut).toEqual(whole);
    expect(whole?.chunks.map((c) => c.heading_path.join(' › '))).not.toContain('Guide › not a heading');
  });

  it("gives the same chunks for every file of Fastify's documentation cut at every place it may be", async () => {
    const dir = new URL('../../node_modules/fastify/docs', import.meta.url).pathname;
    const files = await findDocumentFiles(dir);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const [whole, cut] = both(await readDocumentFile(file));
      expect(cut, file.path).toEqual(whole);
    }
  });

  it('yields between pieces when asked, with the same result', async () => {
    const doc = Array.from({ length: 50 }, (_, i) => `## Part ${i}\n\nText of part ${i}.\n`).join('\n');
    let pauses = 0;
    const parsed = await chunkMarkdownYielding(doc, async () => pauses++, { pieceChars: 100 });
    expect(parsed).toEqual(chunkMarkdown(doc));
    expect(pauses).toBeGreaterThan(10);
  });
});
