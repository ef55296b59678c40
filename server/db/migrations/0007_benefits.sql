CREATE TABLE "benefit_budgets" (
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"amount" bigint NOT NULL,
	"set_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "benefit_budgets_campaign_id_org_id_pk" PRIMARY KEY("campaign_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "benefits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"child_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"item" text,
	"value" bigint NOT NULL,
	"funding_source" text DEFAULT 'unit_funds' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"note" text,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"delivered_at" timestamp with time zone,
	"delivered_by" uuid,
	"received_by" text,
	"delivery_client_id" text,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "benefits_child_kind_key" ON "benefits" USING btree ("campaign_id","child_id","kind") WHERE status <> 'cancelled';--> statement-breakpoint
CREATE INDEX "benefits_campaign_org_idx" ON "benefits" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "benefits_child_idx" ON "benefits" USING btree ("child_id");