import { useState } from 'react';

/**
 * One thing in a list that acts for the user (an API token, a connected app), with a button that takes it away
 * after a second click: `verb` names the button ("Revoke…"), `action` the confirming one ("Revoke “laptop”").
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
        <strong>{props.name}</strong>
        <p className="hint">{props.detail}</p>
      </div>
      {confirming ? (
        <span className="confirm">
          <button
            type="button"
            className="button danger"
            onClick={() => {
              setConfirming(false);
              props.onConfirm();
            }}
          >
            {props.action}
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
