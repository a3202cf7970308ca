import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { DirectoryLockedError } from '../db/directory-lock.ts';
import {
  buildKnowledgeService,
  findDocumentFiles,
  type IngestedDocument,
  readDocumentFile,
  removeUserGuide,
} from '../knowledge/index.ts';

/**
 * `npm run ingest -- <dir>`: every .md, .mdx, .markdown and .txt file under <dir>, recursively, into the
 * configured database (DATABASE_URL, else the embedded one in DATA_DIR). A file that cannot be read or ingested
 * is reported and skipped; the exit code is 1 when any was.
 */
const USAGE =
  'Usage: npm run ingest -- <folder> [--prefix docs/]\n  Paths are stored relative to <folder>, after the prefix.';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { prefix: { type: 'string', default: '' }, help: { type: 'boolean', short: 'h' } },
});
const dir = positionals[0];
if (values.help || !dir || positionals.length > 1) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

try {
  const config = loadConfig();
  const files = await findDocumentFiles(dir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `cannot read the folder ${dir}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}`,
    );
  });
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
  );
  await database.migrate();
  const { service } = buildKnowledgeService({
    db: database.db,
    clock: () => new Date(),
    llm: undefined,
    embeddings: config.embeddings,
    warn: () => {},
  });
  // A new embedded database holds the user guide (its template's); the service would take it out at its first
  // start, which finds this database no longer new.
  if (database.isNew && !config.knowledge.seedDocs) await removeUserGuide(service);
  const started = performance.now();
  const done: IngestedDocument[] = [];
  const failed: Array<{ path: string; reason: string }> = [];
  const progress = createProgress(files.length);
  for (const [index, file] of files.entries()) {
    progress(index, file.path);
    try {
      const content = await readDocumentFile(file);
      done.push(await service.ingestOne({ path: `${values.prefix}${file.path}`, content }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failed.push({ path: file.path, reason });
      progress.interrupt(`! ${file.path}: ${reason}`);
    }
  }
  progress(files.length, '');
  await database.close();

  const seconds = (performance.now() - started) / 1000;
  const count = (status: IngestedDocument['status']) => done.filter((d) => d.status === status).length;
  const chunks = done.filter((d) => d.status !== 'unchanged').reduce((sum, d) => sum + d.chunks, 0);
  const where = database.engine === 'pglite' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL';
  console.log(
    `${files.length} file(s) found in ${dir}: ${count('created')} created, ${count('updated')} updated, ` +
      `${count('unchanged')} unchanged, ${failed.length} failed; ${chunks} passage(s) written to ${where} ` +
      `in ${seconds.toFixed(1)} s.`,
  );
  if (failed.length > 0) {
    console.error(`Not ingested:\n${failed.map((f) => `  ${f.path}: ${f.reason}`).join('\n')}`);
    process.exit(1);
  }
} catch (error) {
  console.error(
    error instanceof ConfigError || error instanceof DirectoryLockedError
      ? error.message
      : `Ingest failed: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
}

/** A progress bar on a terminal; a line per hundred files otherwise, so that logs stay readable. */
function createProgress(total: number) {
  const tty = process.stderr.isTTY;
  let last = -1;
  const draw = (index: number, name: string) => {
    if (total === 0) return;
    if (!tty) {
      if (index === total || (index % 100 === 0 && index !== last))
        process.stderr.write(`${index}/${total}\n`);
      last = index;
      return;
    }
    const width = 30;
    const filled = Math.round((index / total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const label = name.length > 40 ? `…${name.slice(-39)}` : name;
    process.stderr.write(`\r\x1b[2K${bar} ${index}/${total} ${label}`);
    if (index === total) process.stderr.write('\n');
  };
  return Object.assign(draw, {
    interrupt(message: string) {
      if (tty) process.stderr.write('\r\x1b[2K');
      process.stderr.write(`${message}\n`);
    },
  });
}
