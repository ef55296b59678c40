CREATE TABLE "campaign_assignments" (
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"added_reason" text,
	"excluded_at" timestamp with time zone,
	"excluded_reason" text,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"acknowledged_by_name" text,
	"last_reminded_at" timestamp with time zone,
	"reminders" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_assignments_campaign_id_org_id_pk" PRIMARY KEY("campaign_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"doc_number" text NOT NULL,
	"place" text NOT NULL,
	"issue_date" date NOT NULL,
	"title" text NOT NULL,
	"subject" text NOT NULL,
	"issuing_org_id" integer NOT NULL,
	"implements_id" uuid,
	"preamble" text DEFAULT '' NOT NULL,
	"sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"signer" jsonb NOT NULL,
	"festival_date" date NOT NULL,
	"festival_date_overridden" boolean DEFAULT false NOT NULL,
	"report_deadline" date,
	"entry_from" date,
	"entry_to" date,
	"settings" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"issued_at" timestamp with time zone,
	"issued_by" uuid,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" integer NOT NULL,
	"campaign_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "campaign_assignments_org_idx" ON "campaign_assignments" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_doc_number_key" ON "campaigns" USING btree ("issuing_org_id","year","doc_number");--> statement-breakpoint
CREATE INDEX "campaigns_issuing_idx" ON "campaigns" USING btree ("issuing_org_id","year");--> statement-breakpoint
CREATE INDEX "campaigns_implements_idx" ON "campaigns" USING btree ("implements_id");--> statement-breakpoint
CREATE INDEX "notices_org_idx" ON "notices" USING btree ("org_id","created_at");