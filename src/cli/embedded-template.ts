import { embeddedTemplateDirectory, ensureEmbeddedTemplate } from '../db/embedded-template.ts';

/** Makes the embedded database's template (see src/db/embedded-template.ts); `npm install` runs it. */
const template = await ensureEmbeddedTemplate();
console.log(
  template
    ? 'The embedded database template is ready: a first start copies it instead of running initdb.'
    : `The embedded database template could not be written in ${embeddedTemplateDirectory()}; a first start runs initdb.`,
);
