/** What the last try of a form gave: a sentence, and whether it is a refusal. */
export interface Said {
  text: string;
  error: boolean;
}

/** A sentence about the last try, announced politely or, for a refusal, as an alert. */
export function SaidText({ said }: { said: Said | undefined }) {
  if (!said) return null;
  return (
    <p className={said.error ? 'field-error' : 'muted'} role={said.error ? 'alert' : 'status'}>
      {said.text}
    </p>
  );
}

/** A form's submit button and what the last try gave. */
export function FormFoot(props: { busy: boolean; label: string; said: Said | undefined }) {
  return (
    <div className="settings-foot">
      <button type="submit" className="button primary" disabled={props.busy}>
        {props.label}
      </button>
      <SaidText said={props.said} />
    </div>
  );
}
