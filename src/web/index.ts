/**
 * The web feature's public module: the page built from web/, served at `/`. Nothing else of src/web is for other
 * code (see DESIGN §4).
 */

export { registerWeb, type WebFeatureOptions } from './web.feature.ts';
