import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { deleteAccount, listAdmins, resetPassword, setAdmin } from '../auth/index.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { embeddedDatabaseExists, openDatabase } from '../db/database.ts';
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

const { positionals, values } = parseArgs({
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
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

try {
  loadEnvFile();
  const config = loadConfig();
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
    if (command === 'list') {
      const admins = await listAdmins(database.db);
      if (admins.length === 0) console.log('No account is an administrator by grant.');
      for (const admin of admins) console.log(`${admin.email ?? '(no email)'}\t${admin.name}\t${admin.id}`);
      console.log(
        'Accounts with an ADMIN_EMAILS address verified by a sign-in provider are administrators too.',
      );
    } else if (command === 'delete-account') {
      const account = await deleteAccount(database.db, email as string);
      if (!account)
        throw new Error(`no account has the email ${email}; check the address they signed up with.`);
      console.log(`${account.email} is deleted, with its tasks, lists, conversations and tokens.`);
    } else if (command === 'reset-password') {
      // 18 random bytes: 24 characters a person can type, well past any guessing.
      const password = randomBytes(18).toString('base64url');
      const account = await resetPassword(database.db, email as string, password);
      if (!account)
        throw new Error(`no account has the email ${email}; check the address they signed up with.`);
      console.log(
        `${account.email} has the new password ${password}\n` +
          'Give it to them; they sign in with it and choose their own under Settings → Password. Their sign-ins ' +
          'elsewhere have ended; their API tokens still work.',
      );
    } else {
      const account = await setAdmin(database.db, email as string, command === 'grant');
      if (!account) {
        throw new Error(`no account has the email ${email}; the person signs up first, then run this again.`);
      }
      console.log(
        command === 'grant'
          ? `${account.email} is now an administrator.`
          : `${account.email} is no longer an administrator by grant.`,
      );
    }
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof DirectoryLockedError) {
    console.error(
      `The embedded database in ${loadConfig().dataDir} is held by the running service, and PGlite belongs to one process: ` +
        'stop the service, run npm run admin again, then start the service. (With DATABASE_URL this works while it runs.)',
    );
  } else {
    console.error(
      error instanceof ConfigError
        ? error.message
        : `npm run admin failed: ${error instanceof Error ? error.message : error}`,
    );
  }
  process.exit(1);
}
