import { type FormEvent, useRef, useState } from 'react';
import { FormFoot, type Said, SaidText } from '../../../components/ui/form-foot.tsx';
import { SettingsSection } from '../../../components/ui/settings-section.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { plural } from '../../../lib/plural.ts';
import { exportData } from '../api/export-data.ts';
import { importData } from '../api/import-data.ts';

const reason = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong; please try again.';

/** Everything the account holds as one file, and a file from here or another Doable added back. */
export function ExportSettings() {
  const [exportSaid, setExportSaid] = useState<Said | undefined>();
  const [importSaid, setImportSaid] = useState<Said | undefined>();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function download() {
    setExportSaid(undefined);
    try {
      const { file, name } = await exportData();
      // The export needs the bearer token, which a plain link cannot carry: the file is fetched, then saved.
      const url = URL.createObjectURL(file);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setExportSaid({ text: `Downloaded ${name}.`, error: false });
    } catch (error) {
      setExportSaid({ text: reason(error), error: true });
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setImportSaid({ text: 'Choose a file made by Export first.', error: true });
      return;
    }
    setBusy(true);
    setImportSaid(undefined);
    try {
      let document: unknown;
      try {
        document = JSON.parse(await file.text());
      } catch {
        setImportSaid({ text: `${file.name} is not a Doable export (it is not JSON).`, error: true });
        return;
      }
      const result = await importData(document);
      setImportSaid({
        text:
          `Added ${plural(result.tasks.created, 'task')} and ${plural(result.conversations.created, 'conversation')}` +
          (result.tasks.skipped + result.conversations.skipped > 0
            ? `; ${result.tasks.skipped + result.conversations.skipped} already here were left as they are.`
            : '.'),
        error: false,
      });
    } catch (error) {
      // The file's own fields are no form's: the refusal is said of the file.
      const invalid = error instanceof ApiError && error.code === 'request.invalid';
      setImportSaid({
        text: !invalid
          ? reason(error)
          : 'format' in error.fields
            ? `${file.name} is not a Doable export; make one with Download export.`
            : `${file.name} could not be imported: ${error.message}`,
        error: true,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <SettingsSection
      title="Export and import"
      description="Your tasks with their history, tags and conversations with the assistant, as one JSON file."
    >
      <div className="settings-foot">
        <button type="button" className="button" onClick={() => void download()}>
          Download export
        </button>
        <SaidText said={exportSaid} />
      </div>
      <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor="import-file">File to import</label>
          <input id="import-file" ref={fileInput} type="file" accept=".json,application/json" />
          <p className="hint">
            Adds what the file holds; nothing here is changed or deleted, and importing twice adds nothing
            twice.
          </p>
        </div>
        <FormFoot busy={busy} label="Import file" said={importSaid} />
      </form>
    </SettingsSection>
  );
}
