-- Live updates: each change to a task or list is an event row, written with the change, and announced on the
-- channel doable_events when it commits (the trigger below), so every instance hears of it from the database.
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"audience" text[] NOT NULL,
	"type" text NOT NULL,
	"list_id" integer,
	"task_id" integer,
	"actor_id" text,
	"actor_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "events_audience_idx" ON "events" USING gin ("audience");--> statement-breakpoint
CREATE INDEX "events_created_at_idx" ON "events" USING btree ("created_at");--> statement-breakpoint
-- NOTIFY carries at most 8000 bytes: an event whose audience makes it larger is announced by its id alone, and
-- the instances read the row. NOTIFY is transactional: an event of a rolled-back change is never announced.
CREATE FUNCTION "events_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload text := json_build_object(
    'id', NEW.id, 'audience', NEW.audience, 'type', NEW.type, 'list_id', NEW.list_id, 'task_id', NEW.task_id,
    'actor_id', NEW.actor_id, 'actor_name', NEW.actor_name, 'at', NEW.created_at)::text;
BEGIN
  IF octet_length(payload) > 7500 THEN
    payload := json_build_object('id', NEW.id)::text;
  END IF;
  PERFORM pg_notify('doable_events', payload);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "events_notify" AFTER INSERT ON "events"
  FOR EACH ROW EXECUTE FUNCTION events_notify();
