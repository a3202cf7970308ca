import { useState } from 'react';

/**
 * One thing in a list that acts for the user (an API token, a connected app), with a button that takes it away
 * after a second click: `verb` is what both buttons show ("Revoke…", then "Revoke"), `action` what they are named
 * for screen readers ("Revoke “laptop”"). The name is shown once, clamped, beside them: an app chooses its own,
 * and one of any length must not push the buttons away.
 */
export function RevocableItem(props: {
  name: string;
  detail: string;
  verb: string;
  action: string;
  onConfirm: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="token-item">
      <div>
        <strong className="clamped" title={props.name}>
          {props.name}
        </strong>
        <p className="hint">{props.detail}</p>
      </div>
      {confirming ? (
        <span className="confirm">
          <button
            type="button"
            className="button danger"
            aria-label={props.action}
            onClick={() => {
              setConfirming(false);
              props.onConfirm();
            }}
          >
            {props.verb}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button"
          aria-label={`${props.action}…`}
          onClick={() => setConfirming(true)}
        >
          {props.verb}…
        </button>
      )}
    </li>
  );
}
