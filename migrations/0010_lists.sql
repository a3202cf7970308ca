-- Lists: every account has one Inbox, made with the account whatever path makes the user row (a trigger on
-- users), and every task is in exactly one list, its owner's Inbox unless said.
CREATE TABLE "lists" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lists_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"is_inbox" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lists_name_length" CHECK (char_length("lists"."name") between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "lists" ADD CONSTRAINT "lists_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lists_owner_name_key" ON "lists" USING btree ("owner_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "lists_owner_inbox_key" ON "lists" USING btree ("owner_id") WHERE "lists"."is_inbox";--> statement-breakpoint
CREATE FUNCTION "create_inbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lists (owner_id, name, is_inbox) VALUES (NEW.id, 'Inbox', true);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "users_create_inbox" AFTER INSERT ON "users"
  FOR EACH ROW EXECUTE FUNCTION create_inbox();--> statement-breakpoint
-- The accounts made before lists get their Inbox here, and their tasks go into it.
INSERT INTO "lists" ("owner_id", "name", "is_inbox") SELECT "id", 'Inbox', true FROM "users";--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "list_id" integer;--> statement-breakpoint
UPDATE "tasks" SET "list_id" = inbox."id" FROM "lists" inbox
  WHERE inbox."owner_id" = "tasks"."user_id" AND inbox."is_inbox";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "list_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_list_id_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_list_created_idx" ON "tasks" USING btree ("list_id","created_at","id");