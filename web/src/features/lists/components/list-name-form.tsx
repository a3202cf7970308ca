import { type FormEvent, useState } from 'react';
import { Field } from '../../../components/ui/field.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { LIST_NAME_MAX } from '../types.ts';

/**
 * A list's name asked for, to create a list or rename one. The server's refusals are said where they belong: a
 * name already used, or one it cannot take, under the field; anything else under the form. Escape cancels.
 */
export function ListNameForm(props: {
  className: string;
  /** What the form is for, to assistive technology ("New list", "Rename “Groceries”"). */
  purpose: string;
  label: string;
  submitLabel: string;
  initial?: string;
  /** Said under the field when it is sent empty. */
  emptyName: string;
  /** Sends the trimmed name; an ApiError it throws is shown. */
  save: (name: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState(props.initial ?? '');
  const [error, setError] = useState<{ name?: string; message?: string }>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError({ name: props.emptyName });
      return;
    }
    setBusy(true);
    try {
      await props.save(name.trim());
    } catch (caught) {
      if (!(caught instanceof ApiError)) setError({ message: 'Something went wrong; please try again.' });
      else if (caught.code === 'lists.name_taken') setError({ name: caught.message });
      else {
        const said = caught.forForm(['name']);
        setError({ name: said.fields.name, message: said.fields.name ? undefined : said.message });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className={props.className}
      onSubmit={submit}
      noValidate
      aria-label={props.purpose}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onCancel();
      }}
    >
      <Field
        label={props.label}
        value={name}
        maxLength={LIST_NAME_MAX}
        autoFocus
        autoComplete="off"
        error={error.name}
        onChange={(event) => {
          setName(event.target.value);
          setError({});
        }}
      />
      {error.message && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="editor-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {props.submitLabel}
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
