CREATE TABLE "report_exceptions" (
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"until" date NOT NULL,
	"reason" text NOT NULL,
	"granted_by" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_exceptions_campaign_id_org_id_pk" PRIMARY KEY("campaign_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "report_reminders" (
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"kind" text NOT NULL,
	"sent_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_reminders_campaign_id_org_id_kind_sent_on_pk" PRIMARY KEY("campaign_id","org_id","kind","sent_on")
);
--> statement-breakpoint
CREATE TABLE "report_templates" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"sections" jsonb NOT NULL,
	"rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lock_date" date,
	"remind_days_before" integer DEFAULT 3 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"manual" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"figures" jsonb,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"late" boolean,
	"returned_at" timestamp with time zone,
	"returned_by" uuid,
	"return_comment" text,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"reopened_at" timestamp with time zone,
	"reopen_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "reports_campaign_org_key" ON "reports" USING btree ("campaign_id","org_id");