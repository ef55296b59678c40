CREATE TABLE "commendations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"subject_kind" text NOT NULL,
	"person_name" text,
	"person_title" text,
	"sponsor_id" uuid,
	"reason" text NOT NULL,
	"decision_no" text,
	"decision_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "earmarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"receipt_id" uuid,
	"target_org_id" integer,
	"child_id" uuid,
	"amount" bigint NOT NULL,
	"period_from" date,
	"period_to" date,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"source" text NOT NULL,
	"sponsor_id" uuid,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"amount" bigint NOT NULL,
	"occurred_on" date NOT NULL,
	"receipt_id" uuid,
	"transfer_id" uuid,
	"activity_id" uuid,
	"earmark_id" uuid,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"from_org_id" integer NOT NULL,
	"to_org_id" integer NOT NULL,
	"source" text NOT NULL,
	"sponsor_id" uuid,
	"amount" bigint NOT NULL,
	"transferred_on" date NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pledges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"form" text NOT NULL,
	"item" text,
	"quantity" integer,
	"unit_value" bigint,
	"amount" bigint NOT NULL,
	"pledged_on" date NOT NULL,
	"note" text,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"pledge_id" uuid,
	"form" text NOT NULL,
	"item" text,
	"quantity" integer,
	"unit_value" bigint,
	"amount" bigint NOT NULL,
	"received_on" date NOT NULL,
	"receipt_no" text,
	"method" text,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sponsors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" integer NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"search_text" text NOT NULL,
	"sort_key" text NOT NULL,
	"contact_name" text,
	"phone" text,
	"email" text,
	"address" text,
	"tax_code" text,
	"notes" text,
	"publicly_named" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"place" text,
	"link" text,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text,
	"participants_children" integer DEFAULT 0 NOT NULL,
	"participants_parents" integer DEFAULT 0 NOT NULL,
	"participants_members" integer DEFAULT 0 NOT NULL,
	"reach" integer,
	"cost" bigint DEFAULT 0 NOT NULL,
	"cost_source" text,
	"cost_sponsor_id" uuid,
	"status" text NOT NULL,
	"status_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"activity_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"thumbnail_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "public_funds" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "benefits" ADD COLUMN "sponsor_id" uuid;--> statement-breakpoint
CREATE INDEX "commendations_campaign_org_idx" ON "commendations" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "earmarks_campaign_org_idx" ON "earmarks" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "earmarks_child_idx" ON "earmarks" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "fund_entries_campaign_org_idx" ON "fund_entries" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "fund_entries_activity_idx" ON "fund_entries" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "fund_transfers_campaign_idx" ON "fund_transfers" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "pledges_campaign_org_idx" ON "pledges" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "pledges_sponsor_idx" ON "pledges" USING btree ("sponsor_id");--> statement-breakpoint
CREATE INDEX "receipts_campaign_org_idx" ON "receipts" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "receipts_sponsor_idx" ON "receipts" USING btree ("sponsor_id");--> statement-breakpoint
CREATE INDEX "receipts_pledge_idx" ON "receipts" USING btree ("pledge_id");--> statement-breakpoint
CREATE INDEX "sponsors_org_idx" ON "sponsors" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "activities_campaign_org_idx" ON "activities" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "activity_files_activity_idx" ON "activity_files" USING btree ("activity_id");