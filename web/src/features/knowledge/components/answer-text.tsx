import type { ReactNode } from 'react';

/**
 * The answer is markdown from the docs: code blocks, `inline code` and [n] citations are shown as such, the rest as
 * plain paragraphs (no HTML from the answer is ever rendered). A citation opens its source.
 */
export function AnswerText({ text, onCite }: { text: string; onCite: (index: number) => void }) {
  const blocks = text.split(/```[^\n]*\n?/);
  return (
    <div className="answer-text">
      {blocks.map((block, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the blocks of one answer never move.
          <pre key={index}>
            <code>{block.replace(/\n$/, '')}</code>
          </pre>
        ) : (
          block
            .split(/\n{2,}/)
            .filter((paragraph) => paragraph.trim())
            // biome-ignore lint/suspicious/noArrayIndexKey: the blocks of one answer never move.
            .map((paragraph, n) => <p key={`${index}-${n}`}>{inline(paragraph, onCite)}</p>)
        ),
      )}
    </div>
  );
}

function inline(paragraph: string, onCite: (index: number) => void): ReactNode[] {
  return paragraph.split(/(`[^`]+`|\[\d+\])/).map((part, index) => {
    const cite = /^\[(\d+)\]$/.exec(part);
    if (cite) {
      const number = Number(cite[1]);
      return (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one paragraph never move.
        <button key={index} type="button" className="cite" onClick={() => onCite(number - 1)}>
          [{number}]<span className="visually-hidden"> open source {number}</span>
        </button>
      );
    }
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one paragraph never move.
    if (part.startsWith('`') && part.endsWith('`')) return <code key={index}>{part.slice(1, -1)}</code>;
    return part;
  });
}
