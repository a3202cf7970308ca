/**
 * The export feature's public module: export and import of a user's data, on whenever tasks are. Nothing else of
 * src/export is for other code (see DESIGN §4).
 */

export { type ExportFeatureOptions, registerExport } from './export.feature.ts';
