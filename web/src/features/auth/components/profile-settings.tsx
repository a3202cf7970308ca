import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Field } from '../../../components/ui/field.tsx';
import { FormFoot, type Said } from '../../../components/ui/form-foot.tsx';
import { SettingsSection } from '../../../components/ui/settings-section.tsx';
import { ApiError, type User } from '../../../lib/api-client.ts';
import { type MeChanges, updateMe } from '../api/update-me.ts';
import { currentName, timeZoneChoices } from '../time-zones.ts';

/** Name and time zone; the zone decides what "today" and "tomorrow 5pm" mean everywhere. */
export function ProfileSettings({ user }: { user: User }) {
  const [name, setName] = useState(user.name);
  const [timezone, setTimezone] = useState(user.timezone);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [said, setSaid] = useState<Said | undefined>();
  const [busy, setBusy] = useState(false);
  // The page reads the account again once loaded (it may have changed elsewhere): the form follows what is saved.
  useEffect(() => {
    setName(user.name);
    setTimezone(user.timezone);
  }, [user.name, user.timezone]);
  // The device's zone by its current name, as the menu lists it (Chromium says Asia/Calcutta for Asia/Kolkata).
  const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const here = device && currentName(device);
  const zones = useMemo(() => timeZoneChoices(user.timezone), [user.timezone]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes: MeChanges = {};
    if (name.trim() !== user.name) changes.name = name.trim();
    if (timezone !== user.timezone) changes.timezone = timezone;
    if (Object.keys(changes).length === 0) {
      setSaid({ text: 'Nothing to save: nothing was changed.', error: false });
      return;
    }
    setBusy(true);
    setFields({});
    try {
      await updateMe(changes);
      setSaid({ text: 'Saved.', error: false });
    } catch (error) {
      const refusal =
        error instanceof ApiError
          ? error.forForm(['name', 'timezone'])
          : { fields: {}, message: 'Could not save; try again.' };
      setFields(refusal.fields);
      setSaid({ text: refusal.message, error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <SettingsSection title="Profile">
      <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Name"
          autoComplete="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fields.name}
        />
        <div className="field">
          <label htmlFor="settings-timezone">Time zone</label>
          <select
            id="settings-timezone"
            value={timezone}
            onChange={(event) => setTimezone(event.target.value)}
            aria-invalid={fields.timezone ? true : undefined}
            aria-describedby={fields.timezone ? 'settings-timezone-error' : undefined}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
          <p className="hint">
            Due dates, “today” and “tomorrow 5pm” are read in this zone.{' '}
            {here && here !== currentName(timezone) && (
              <button type="button" className="link-button" onClick={() => setTimezone(here)}>
                Use this device’s zone ({here.replaceAll('_', ' ')})
              </button>
            )}
          </p>
          {fields.timezone && (
            <p id="settings-timezone-error" className="field-error">
              {fields.timezone}
            </p>
          )}
        </div>
        <FormFoot busy={busy} label="Save profile" said={said} />
      </form>
    </SettingsSection>
  );
}
