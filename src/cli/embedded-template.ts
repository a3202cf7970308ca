import { prepareEmbeddedTemplate } from '../db/database.ts';

/**
 * Makes the embedded database's template (see src/db/embedded-template.ts); `npm install` runs it, and the image
 * build with `--strict`, where a template that cannot be made fails the build instead of every container's start.
 */
const strict = process.argv.includes('--strict');
const template = await prepareEmbeddedTemplate({
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
});
console.log(
  template
    ? 'The embedded database template is ready: a first start copies it instead of running initdb, migrations and the user guide’s ingest.'
    : 'The embedded database template could not be made in node_modules/.cache/doable; a first start makes its database in place.',
);
if (strict && !template) process.exitCode = 1;
