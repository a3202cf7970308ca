import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { adminQuery, withDatabase } from '../bench/lib.ts';
import { openDatabase } from '../src/db/database.ts';
import { checkServices } from './services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite runs: a dump of a migrated database that each test file loads as its own copy. */
    pgliteTemplate: string | undefined;
    /** PostgreSQL runs: a migrated database that each test file clones with CREATE DATABASE ... TEMPLATE. */
    postgresTemplate: string | undefined;
    /** Whether the suites that need a real PostgreSQL (or Redis) run; see services.ts. */
    postgresAvailable: boolean;
    redisAvailable: boolean;
  }
}

/**
 * Migrates one template database per run, so that each test file gets a fresh, fully migrated database in
 * milliseconds instead of replaying the migrations. With DATABASE_URL the suite runs on that PostgreSQL server.
 */
export default async function setup(project: TestProject) {
  const services = await checkServices(process.env);
  for (const line of services.skipped) console.log(line);
  project.provide('postgresAvailable', services.postgresAvailable);
  project.provide('redisAvailable', services.redisAvailable);
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `doable_template_${randomBytes(4).toString('hex')}`;
    await adminQuery(url, `create database ${name}`);
    const database = await openDatabase({ url: withDatabase(url, name) });
    await database.migrate();
    await database.close();
    project.provide('postgresTemplate', name);
    project.provide('pgliteTemplate', undefined);
    return async () => {
      await adminQuery(url, `drop database if exists ${name} with (force)`);
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'doable-test-'));
  const client = await PGlite.create();
  const database = await openDatabase({ pglite: client });
  await database.migrate();
  const dump = await client.dumpDataDir('none');
  const file = join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', undefined);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
