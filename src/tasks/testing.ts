/**
 * Test helpers of the tasks feature that tests elsewhere use (a user's client of the API, a movable clock): the
 * second public module of src/tasks, for tests only.
 */

export * from './tasks.test-helpers.ts';
