CREATE TABLE "deleted_tasks" (
	"user_id" text NOT NULL,
	"task_id" integer NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL,
	"task" jsonb NOT NULL,
	"completions" jsonb NOT NULL,
	CONSTRAINT "deleted_tasks_user_id_task_id_pk" PRIMARY KEY("user_id","task_id")
);
--> statement-breakpoint
ALTER TABLE "deleted_tasks" ADD CONSTRAINT "deleted_tasks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deleted_tasks_user_deleted_idx" ON "deleted_tasks" USING btree ("user_id","deleted_at","task_id");--> statement-breakpoint
CREATE INDEX "deleted_tasks_deleted_idx" ON "deleted_tasks" USING btree ("deleted_at");