import { useState } from 'react';

/**
 * Copies a text to the clipboard and says so. The clipboard needs a secure page (HTTPS or localhost); elsewhere
 * the button says to copy by hand, the text being shown beside it.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState('');
  return (
    <span className="copy">
      <button
        type="button"
        className="button"
        onClick={() =>
          // Without a secure page navigator.clipboard is missing: the promise chain turns that into the message too.
          Promise.resolve()
            .then(() => navigator.clipboard.writeText(text))
            .then(
              () => setSaid('Copied.'),
              () => setSaid('Could not copy here: select the text and copy it.'),
            )
        }
      >
        {label}
      </button>
      <span className="copy-said" role="status">
        {said}
      </span>
    </span>
  );
}
