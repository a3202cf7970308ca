/** Test helpers of the export feature that tests elsewhere use (a task as an export file holds it). */

export * from './export.test-helpers.ts';
