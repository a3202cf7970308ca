import type OpenAI from 'openai';
import { SENTENCE_END } from './chunking.ts';
import type { Passage } from './knowledge.repository.ts';

export const NOT_COVERED =
  'The documentation does not seem to cover this. Try other words, or ask about a topic the documents describe.';

/** A chat model that answers from the passages it is given. */
export interface AnswerModel {
  readonly model: string;
  complete(system: string, user: string): Promise<string>;
}

export interface LlmConfig {
  baseURL: string | undefined;
  apiKey: string;
  model: string;
}

/** Any OpenAI-compatible chat completions server: OpenAI, OpenRouter, Ollama, vLLM, llama.cpp. */
export function createAnswerModel(config: LlmConfig, timeoutMs = 60_000): AnswerModel {
  let client: Promise<OpenAI> | undefined; // the SDK is loaded with the first question, not at start
  return {
    model: config.model,
    async complete(system, user) {
      client ??= import('openai').then(
        ({ default: OpenAI }) =>
          new OpenAI({ apiKey: config.apiKey, baseURL: config.baseURL, timeout: timeoutMs, maxRetries: 1 }),
      );
      const completion = await (await client).chat.completions.create({
        model: config.model,
        temperature: 0.1,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      });
      return completion.choices[0]?.message.content?.trim() ?? '';
    },
  };
}

const SYSTEM_PROMPT = [
  'You answer questions about a product using only the numbered documentation passages you are given.',
  'Cite the passage behind each statement as [1], [2] (its number in brackets). Cite nothing else.',
  'If the passages do not answer the question, say plainly that the documentation does not cover it, and do not',
  'answer from general knowledge. Be concise; keep commands and code exactly as the passages give them.',
].join(' ');

/** Title then headings, without repeating a first heading that is the title. */
export function breadcrumb(title: string, headingPath: string[]): string[] {
  return headingPath[0] === title ? headingPath : [title, ...headingPath];
}

/** The prompt: the passages, numbered as the sources will be, then the question. */
export function answerPrompt(query: string, passages: Passage[]): { system: string; user: string } {
  const context = passages
    .map((p, i) => `[${i + 1}] ${breadcrumb(p.title, p.headingPath).join(' › ')} (${p.path})\n${p.text}`)
    .join('\n\n---\n\n');
  return { system: SYSTEM_PROMPT, user: `Documentation passages:\n\n${context}\n\nQuestion: ${query}` };
}

/**
 * Removes citations of sources that were not retrieved ([7] with five sources, [0]), keeping valid numbers in a
 * list such as [1, 9] → [1]: a reader must never follow a citation to nothing.
 */
export function keepValidCitations(text: string, sourceCount: number): string {
  return text
    .replace(/\s?\[(\d+(?:\s*,\s*\d+)*)\]/g, (match, list: string) => {
      const valid = list
        .split(',')
        .map((n) => Number(n.trim()))
        .filter((n) => n >= 1 && n <= sourceCount);
      if (valid.length === list.split(',').length) return match;
      return valid.length > 0 ? `${match.startsWith(' ') ? ' ' : ''}[${valid.join(', ')}]` : '';
    })
    .trim();
}

/** A piece of a passage that can stand in an answer: a sentence, a list item, a code block or a table. */
export interface Unit {
  source: number;
  text: string;
  code: boolean;
  /** The passage's title and headings: scored with the unit, since a sentence often leaves its topic unsaid. */
  context: string;
}

/** Splits passages into units; sources are numbered from 1 in the order of the passages. */
export function answerUnits(passages: Passage[]): Unit[] {
  const units: Unit[] = [];
  passages.forEach((passage, index) => {
    const source = index + 1;
    const context = breadcrumb(passage.title, passage.headingPath).join(' ');
    for (const block of blocksOf(passage.text)) {
      const trimmed = block.trim();
      if (/^(`{3}|~{3}|\|)/.test(trimmed)) {
        units.push({ source, text: trimmed, code: true, context });
        continue;
      }
      for (const line of trimmed.split(/\n(?=\s*(?:[-*+]|\d+[.)])\s)/)) {
        const item = line
          .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
          .replace(/\s+/g, ' ')
          .trim();
        for (const sentence of item.split(SENTENCE_END)) {
          if (sentence.length > 2) units.push({ source, text: sentence, code: false, context });
        }
      }
    }
  });
  return units;
}

/** Blank-line separated blocks, a fenced code block (blank lines and all) being one. */
function blocksOf(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || marker.startsWith(fence))) fence = fence ? undefined : marker;
    if (!fence && !marker && line.trim() === '') {
      if (current.length > 0) blocks.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

/**
 * Without a language model: the best-scoring sentences of the top passages, each followed by its source's
 * number, and the code block that follows a chosen sentence in its passage (docs show the command after saying
 * what it does). Units score by the query's stems, discounted by their passage's rank; with none matching (a
 * vector-only hit) the best passage's opening is used.
 */
export function extractiveAnswer(units: Unit[], scores: number[], maxSentences = 3): string {
  if (units.length === 0) return NOT_COVERED;
  const order = units
    .map((unit, index) => ({ unit, index, score: (scores[index] ?? 0) / Math.sqrt(unit.source) }))
    .filter(({ unit, score }) => !unit.code && score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, maxSentences)
    .map(({ index }) => index);
  if (order.length === 0) {
    const first = units.findIndex((unit) => unit.source === 1 && !unit.code);
    order.push(Math.max(first, 0));
  }
  const parts: string[] = [];
  for (const index of order.sort((a, b) => a - b)) {
    const unit = units[index];
    if (!unit) continue;
    parts.push(unit.code ? `${unit.text}\n[${unit.source}]` : `${unit.text} [${unit.source}]`);
    const next = units[index + 1];
    if (next?.code && next.source === unit.source && !order.includes(index + 1)) parts.push(next.text);
  }
  return parts.join('\n\n');
}

/** The start of a passage as plain text, for showing under a source. */
export function snippetOf(text: string, maxChars = 240): string {
  const plain = text
    .replace(/```[^\n]*\n/g, '')
    .replace(/```/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*#>`|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= maxChars) return plain;
  const cut = plain.lastIndexOf(' ', maxChars - 1);
  return `${plain.slice(0, cut > maxChars / 2 ? cut : maxChars - 1)}…`;
}
