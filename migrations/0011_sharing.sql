-- Sharing: a list's members (invited by address, active once they accept), who made and last changed each task,
-- and whom it is given to. A task belongs to the owner of its list, always: (list_id, user_id) references the
-- list's (id, owner_id), which replaces the plain list_id reference.
CREATE TABLE "list_members" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "list_members_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"list_id" integer NOT NULL,
	"email" text NOT NULL,
	"user_id" text,
	"role" text NOT NULL,
	"status" text DEFAULT 'invited' NOT NULL,
	"invited_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "list_members_role" CHECK ("list_members"."role" in ('viewer', 'editor')),
	CONSTRAINT "list_members_status" CHECK ("list_members"."status" in ('invited', 'active')),
	CONSTRAINT "list_members_active_user" CHECK (("list_members"."status" = 'active') = ("list_members"."user_id" is not null)),
	CONSTRAINT "list_members_email_lower" CHECK ("list_members"."email" = lower("list_members"."email") and char_length("list_members"."email") <= 254)
);
--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_list_id_lists_id_fk";
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "assignee_id" text;--> statement-breakpoint
-- The tasks so far were made and changed by their owners.
UPDATE "tasks" SET "created_by" = "user_id", "updated_by" = "user_id";--> statement-breakpoint
ALTER TABLE "list_members" ADD CONSTRAINT "list_members_list_id_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_members" ADD CONSTRAINT "list_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_members" ADD CONSTRAINT "list_members_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "list_members_list_email_key" ON "list_members" USING btree ("list_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "list_members_user_list_key" ON "list_members" USING btree ("user_id","list_id");--> statement-breakpoint
CREATE INDEX "list_members_email_idx" ON "list_members" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lists" ADD CONSTRAINT "lists_id_owner_key" UNIQUE("id","owner_id");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_list_owner_fk" FOREIGN KEY ("list_id","user_id") REFERENCES "public"."lists"("id","owner_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_assignee_idx" ON "tasks" USING btree ("assignee_id") WHERE "tasks"."assignee_id" is not null;--> statement-breakpoint
-- A task moved into a list of another owner changes owner: its count moves with it (see count_tasks, 0004).
CREATE FUNCTION "count_task_moves"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_counts (user_id, slot, count)
    VALUES (OLD.user_id, pg_backend_pid() % 64, -1), (NEW.user_id, pg_backend_pid() % 64, 1)
  ON CONFLICT (user_id, slot) DO UPDATE SET count = task_counts.count + excluded.count;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_count_moves" AFTER UPDATE OF "user_id" ON "tasks"
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION count_task_moves();
