import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export class DirectoryLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by another Doable process (pid ${pid}). ` +
        'Stop that process first, give this one its own DATA_DIR, or set DATABASE_URL so that several instances share PostgreSQL.',
    );
    this.name = 'DirectoryLockedError';
  }
}

/** The lock files this process holds. */
const held = new Set<string>();

/**
 * Takes an exclusive lock on a directory with a pid file created atomically (O_EXCL). A lock left behind by a
 * process that no longer runs is taken over, so a crash never needs a manual clean-up.
 */
export async function acquireDirectoryLock(dir: string): Promise<{ release: () => Promise<void> }> {
  const file = join(dir, 'doable.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      held.add(file);
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          held.delete(file);
          await unlink(file).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      // Our own pid in a lock this process does not hold is left from before a restart: a container restarted
      // after a kill starts its program under the same pid (often 1), and that lock is as stale as any other.
      const ours = pid === process.pid && !held.has(file);
      if (Number.isInteger(pid) && pid > 0 && !ours && isRunning(pid))
        throw new DirectoryLockedError(dir, pid);
      await unlink(file).catch(() => {});
    }
  }
  throw new Error(`Could not lock ${dir}; remove ${file} if no Doable process is running.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
