ALTER TABLE benefits ADD CONSTRAINT benefits_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_child_fk FOREIGN KEY (child_id) REFERENCES children(id);
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_approved_by_fk FOREIGN KEY (approved_by) REFERENCES users(id) ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_delivered_by_fk FOREIGN KEY (delivered_by) REFERENCES users(id) ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_status_check CHECK (status IN ('planned','approved','delivered','cancelled'));
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_funding_check CHECK (funding_source IN ('unit_funds','upper_funds','sponsor'));
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_value_check CHECK (value >= 0);
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_item_check CHECK (kind <> 'in_kind' OR coalesce(item, '') <> '');
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_delivered_check CHECK (status <> 'delivered' OR delivered_at IS NOT NULL);
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_cancelled_check CHECK (status <> 'cancelled' OR coalesce(cancel_reason, '') <> '');
--> statement-breakpoint
ALTER TABLE benefit_budgets ADD CONSTRAINT benefit_budgets_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE benefit_budgets ADD CONSTRAINT benefit_budgets_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE benefit_budgets ADD CONSTRAINT benefit_budgets_amount_check CHECK (amount >= 0);
