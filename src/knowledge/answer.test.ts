import { describe, expect, it } from 'vitest';
import { answerUnits, extractiveAnswer, keepValidCitations, snippetOf } from './answer.ts';
import type { Passage } from './knowledge.repository.ts';

const passage = (text: string, headingPath: string[] = []): Passage => ({
  chunkId: 1,
  documentId: 'd',
  title: 'T',
  path: 't.md',
  headingPath,
  text,
  startLine: 1,
});

describe('answers', () => {
  it('drops citations of sources that were not retrieved, keeping the valid ones of a list', () => {
    expect(keepValidCitations('Yes [1]. Also [3] and [2, 9]. Never [0].', 2)).toBe(
      'Yes [1]. Also and [2]. Never.',
    );
  });

  it('splits passages into sentences, list items and whole code blocks, numbered by passage', () => {
    const units = answerUnits([
      passage('First one. Second one.\n\n- item a\n- item b\n\n```sh\n# comment\n\necho hi\n```'),
      passage('| a | b |\n|---|---|'),
    ]);
    expect(units.map((u) => [u.source, u.text, u.code])).toEqual([
      [1, 'First one.', false],
      [1, 'Second one.', false],
      [1, 'item a', false],
      [1, 'item b', false],
      [1, '```sh\n# comment\n\necho hi\n```', true],
      [2, '| a | b |\n|---|---|', true],
    ]);
  });

  it('builds the extractive answer from the best sentences in document order, with the code that follows one', () => {
    const units = answerUnits([
      passage('Intro. Run the command below.\n\n```sh\nnpm start\n```'),
      passage('Other.'),
    ]);
    const answer = extractiveAnswer(units, [0, 0.5, 0, 0.1]);
    expect(answer).toBe('Run the command below. [1]\n\n```sh\nnpm start\n```\n\nOther. [2]');
  });

  it('falls back to the opening of the best passage when no sentence matches the words', () => {
    const units = answerUnits([passage('Opening sentence. More.')]);
    expect(extractiveAnswer(units, [0, 0])).toBe('Opening sentence. [1]');
  });

  it('makes a plain-text snippet, cut at a word', () => {
    expect(snippetOf('**Bold** and [a link](x.md) with `max_results`.')).toBe(
      'Bold and a link with max_results .',
    );
    expect(snippetOf('word '.repeat(100), 20)).toBe('word word word word…');
  });
});
