import { type ReactNode, useId } from 'react';

/** One titled card of the settings page; its heading names it for screen readers. */
export function SettingsSection(props: { title: string; description?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.description && <p className="muted">{props.description}</p>}
      {props.children}
    </section>
  );
}
