/**
 * The events feature's public module: live updates of the tasks and lists a user can see. What the features that
 * change them use: `publishEvent` (one statement recording an event, run on the handle of the change's own
 * transaction) and `eventInsert` (the same, to fold into the statement of a change), with the audiences
 * (`usersAudience`, `eitherAudience`; a list's is the lists feature's `listAudienceSql`). What app.ts uses: the
 * feature (`registerEvents`). The rest of the folder is the feature's own (see DESIGN §4).
 */

export { type EventsFeatureOptions, registerEvents } from './events.feature.ts';
export {
  EVENT_TYPES,
  type EventType,
  eitherAudience,
  eventInsert,
  type NewEvent,
  publishEvent,
  usersAudience,
} from './events.repository.ts';
