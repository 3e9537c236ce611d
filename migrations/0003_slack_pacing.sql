CREATE TABLE "slack_channel_pacing" (
	"workspace_id" uuid NOT NULL,
	"channel_id" text NOT NULL,
	"next_allowed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "slack_channel_pacing_workspace_id_channel_id_pk" PRIMARY KEY("workspace_id","channel_id")
);
--> statement-breakpoint
ALTER TABLE "slack_channel_pacing" ADD CONSTRAINT "slack_channel_pacing_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;