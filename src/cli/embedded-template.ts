import { prepareEmbeddedTemplate } from '../db/database.ts';

/** Makes the embedded database's template (see src/db/embedded-template.ts); `npm install` runs it. */
const template = await prepareEmbeddedTemplate();
console.log(
  template
    ? 'The embedded database template is ready: a first start copies it instead of running initdb and migrations.'
    : 'The embedded database template could not be made in node_modules/.cache/doable; a first start makes its database in place.',
);
