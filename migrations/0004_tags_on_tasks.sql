-- Tags move onto the task (a text[] in the order given), so that a page of tasks is read without a lookup per
-- task; the `tags` table stays as each user's vocabulary of spellings.
ALTER TABLE "tasks" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
UPDATE "tasks" SET "tags" = linked.names FROM (
  SELECT tt.task_id, array_agg(g.name ORDER BY tt.position) AS names
  FROM "task_tags" tt JOIN "tags" g ON g.id = tt.tag_id
  GROUP BY tt.task_id
) AS linked WHERE linked.task_id = "tasks"."id";--> statement-breakpoint
DROP TABLE "task_tags" CASCADE;--> statement-breakpoint
CREATE INDEX "tasks_tags_idx" ON "tasks" USING gin ("tags");--> statement-breakpoint
-- Each user's number of tasks, so that the unfiltered list's total does not count every task. Kept by
-- statement triggers, whatever writes the rows; each connection adds to a slot of its own (its backend pid
-- modulo 64), so that concurrent writers do not queue on one row lock until they commit.
CREATE TABLE "task_counts" (
	"user_id" text NOT NULL,
	"slot" smallint NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "task_counts_user_id_slot_pk" PRIMARY KEY("user_id","slot")
);
--> statement-breakpoint
ALTER TABLE "task_counts" ADD CONSTRAINT "task_counts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "task_counts" ("user_id", "slot", "count")
  SELECT "user_id", 0, count(*) FROM "tasks" GROUP BY "user_id";--> statement-breakpoint
CREATE FUNCTION "count_tasks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO task_counts (user_id, slot, count)
      SELECT user_id, pg_backend_pid() % 64, count(*) FROM new_rows GROUP BY user_id
    ON CONFLICT (user_id, slot) DO UPDATE SET count = task_counts.count + excluded.count;
  ELSE
    -- Deleting a user deletes their tasks, and their counts with them: only users that remain are counted.
    INSERT INTO task_counts (user_id, slot, count)
      SELECT user_id, pg_backend_pid() % 64, -count(*) FROM old_rows
      WHERE EXISTS (SELECT FROM users WHERE users.id = old_rows.user_id)
      GROUP BY user_id
    ON CONFLICT (user_id, slot) DO UPDATE SET count = task_counts.count + excluded.count;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_count_inserts" AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_tasks();--> statement-breakpoint
CREATE TRIGGER "tasks_count_deletes" AFTER DELETE ON "tasks" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_tasks();
