import { constants, existsSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';

/** A start failure the person starting Doable can fix: its message is the whole story, so no stack trace. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

/**
 * Reads `./.env` when there is one, so that `npm start` picks it up with no flag and nobody runs
 * `node --env-file` by hand (the system's `node` may be older than 24, which cannot run the TypeScript).
 * Variables already set in the environment win over the file.
 */
export function loadEnvFile(path = '.env') {
  if (!existsSync(path)) return;
  try {
    process.loadEnvFile(path);
  } catch (error) {
    throw new StartError(`${path} could not be read (${(error as Error).message}); fix or remove it.`);
  }
}

/**
 * Binds the port for a moment and lets it go, so that a busy port is reported at once, before the embedded
 * database is created or migrations run (seconds of work that would be wasted).
 */
export async function ensurePortFree(host: string, port: number) {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, host, port)));
    server.listen({ host, port, exclusive: true }, resolve);
  });
  await new Promise((resolve) => server.close(resolve));
}

/** The one sentence for a failed listen; anything unexpected is passed on as it is. */
export function listenError(error: unknown, host: string, port: number): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new StartError(`port ${port} is in use; set PORT to another port or stop the other program`);
    case 'EACCES':
      return new StartError(
        `port ${port} needs administrator rights on this system; set PORT to a number above 1023`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartError(
        `HOST ${host} is not an address of this machine; set HOST to 0.0.0.0 (every address) or 127.0.0.1`,
      );
    default:
      return error;
  }
}

/** A data directory that cannot be written is a setting to change, not a bug: say which directory and why. */
export function dataDirError(error: unknown, dataDir: string): unknown {
  const { code, path } = error as NodeJS.ErrnoException;
  if (!code || !['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC'].includes(code)) return error;
  return new StartError(
    `DATA_DIR ${dataDir} cannot be used (${code} on ${path ?? dataDir}): set DATA_DIR to a directory this user can write, or set DATABASE_URL`,
  );
}

/** Creates DATA_DIR if needed and checks it can be written, before the slow part of a start (see main.ts). */
export async function ensureDataDir(dataDir: string) {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    throw dataDirError(error, dataDir);
  }
}
