CREATE TABLE "child_parents" (
	"child_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "child_parents_child_id_member_id_pk" PRIMARY KEY("child_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "children" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" integer NOT NULL,
	"full_name" text NOT NULL,
	"search_text" text NOT NULL,
	"sort_key" text NOT NULL,
	"birth_date" date NOT NULL,
	"sex" text NOT NULL,
	"school" text,
	"grade" text,
	"circumstances" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"achievements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"parent_consent" jsonb,
	"child_consent" jsonb,
	"dup_key" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duplicate_dismissals" (
	"child_a" uuid NOT NULL,
	"child_b" uuid NOT NULL,
	"dismissed_by" uuid,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_dismissals_child_a_child_b_pk" PRIMARY KEY("child_a","child_b")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" integer NOT NULL,
	"full_name" text NOT NULL,
	"search_text" text NOT NULL,
	"sort_key" text NOT NULL,
	"department" text,
	"phone" text,
	"is_union_member" boolean DEFAULT true NOT NULL,
	"id_number" text,
	"match_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "child_parents_member_idx" ON "child_parents" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "children_org_idx" ON "children" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "children_dup_idx" ON "children" USING btree ("dup_key");--> statement-breakpoint
CREATE INDEX "children_search_trgm" ON "children" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "members_org_idx" ON "members" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "members_match_idx" ON "members" USING btree ("org_id","match_key");