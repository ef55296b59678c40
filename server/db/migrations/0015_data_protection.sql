ALTER TABLE "children" ADD COLUMN "anonymized_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "anonymized_at" timestamp with time zone;