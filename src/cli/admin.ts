import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { deleteAccount, listAdmins, resetPassword, setAdmin } from '../auth/index.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { type Database, embeddedDatabaseExists, openDatabase } from '../db/database.ts';
import { DirectoryLockedError } from '../db/directory-lock.ts';
import { loadEnvFile } from '../start.ts';

/**
 * `npm run admin -- grant <email> | revoke <email> | list | reset-password <email> | delete-account <email>`: the
 * operator's way to make an administrator (who may change the knowledge base), with no sign-in provider needed, to
 * give an account whose password is forgotten a new one (Doable sends no mail), and to delete an account. It writes `users.is_admin` in the configured
 * database. The embedded database belongs to one process: while the service runs on it, this refuses and says so
 * (stop the service, run the command, start it again); PostgreSQL has no such limit.
 */
const USAGE =
  'Usage: npm run admin -- grant <email> | revoke <email> | list | reset-password <email> | delete-account <email>\n' +
  '  grant and revoke change one existing account; list shows every administrator granted here;\n' +
  '  reset-password gives an account a new password, printed once, and signs it out everywhere;\n' +
  '  delete-account deletes an account and everything it holds, for good (export it first if it is wanted).';

/** Where the command writes: the terminal's streams, or a test's. */
export interface AdminOutput {
  log: (line: string) => void;
  error: (line: string) => void;
}

/** Runs one command of `npm run admin` with these arguments and environment; resolves to the exit code. */
export async function runAdmin(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: AdminOutput = console,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  const [command, email, ...extra] = positionals;
  const valid =
    (['grant', 'revoke', 'reset-password', 'delete-account'].includes(command ?? '') &&
      email &&
      extra.length === 0) ||
    (command === 'list' && !email);
  if (values.help || !valid) {
    out.error(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const config = loadConfig(env);
    if (!config.databaseUrl && !embeddedDatabaseExists(config.dataDir)) {
      throw new Error(
        `there is no embedded database in ${config.dataDir}; set DATA_DIR to the service's (or DATABASE_URL), and start the service once first.`,
      );
    }
    const database = await openDatabase(
      config.databaseUrl ? { url: config.databaseUrl, poolSize: 1 } : { dataDir: config.dataDir },
    );
    try {
      await database.migrate();
      out.log(await carryOut(database.db, command as string, email as string));
    } finally {
      await database.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof DirectoryLockedError) {
      out.error(
        `The embedded database in ${loadConfig(env).dataDir} is held by the running service, and PGlite belongs to one process: ` +
          'stop the service, run npm run admin again, then start the service. (With DATABASE_URL this works while it runs.)',
      );
    } else {
      out.error(
        error instanceof ConfigError
          ? error.message
          : `npm run admin failed: ${error instanceof Error ? error.message : error}`,
      );
    }
    return 1;
  }
}

/** The command's work on the database, and what it says when done. */
async function carryOut(db: Database['db'], command: string, email: string): Promise<string> {
  if (command === 'list') {
    const admins = await listAdmins(db);
    return [
      ...(admins.length === 0 ? ['No account is an administrator by grant.'] : []),
      ...admins.map((admin) => `${admin.email ?? '(no email)'}\t${admin.name}\t${admin.id}`),
      'Accounts with an ADMIN_EMAILS address verified by a sign-in provider are administrators too.',
    ].join('\n');
  }
  if (command === 'delete-account') {
    const account = await deleteAccount(db, email);
    if (!account)
      throw new Error(`no account has the email ${email}; check the address they signed up with.`);
    return `${account.email} is deleted, with its tasks, lists, conversations and tokens.`;
  }
  if (command === 'reset-password') {
    // 18 random bytes: 24 characters a person can type, well past any guessing.
    const password = randomBytes(18).toString('base64url');
    const account = await resetPassword(db, email, password);
    if (!account)
      throw new Error(`no account has the email ${email}; check the address they signed up with.`);
    return (
      `${account.email} has the new password ${password}\n` +
      'Give it to them; they sign in with it and choose their own under Settings → Password. Their sign-ins ' +
      'elsewhere have ended; their API tokens still work.'
    );
  }
  const account = await setAdmin(db, email, command === 'grant');
  if (!account)
    throw new Error(`no account has the email ${email}; the person signs up first, then run this again.`);
  return command === 'grant'
    ? `${account.email} is now an administrator.`
    : `${account.email} is no longer an administrator by grant.`;
}

if (import.meta.main) {
  try {
    loadEnvFile();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  process.exitCode = await runAdmin(process.argv.slice(2));
}
