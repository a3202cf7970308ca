CREATE TABLE "instance" (
	"singleton" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instance_singleton" CHECK ("instance"."singleton" = 1)
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "import_source" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "import_source" text;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_user_import_source_key" ON "conversations" USING btree ("user_id","import_source") WHERE "conversations"."import_source" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_user_import_source_key" ON "tasks" USING btree ("user_id","import_source") WHERE "tasks"."import_source" is not null;