ALTER TABLE campaigns ADD CONSTRAINT campaigns_issuing_org_fk FOREIGN KEY (issuing_org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE campaigns ADD CONSTRAINT campaigns_implements_fk FOREIGN KEY (implements_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE campaigns ADD CONSTRAINT campaigns_kind_check CHECK (kind IN ('trung_thu','tet_thieu_nhi','tet_nguyen_dan','scholarship','other'));
--> statement-breakpoint
ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check CHECK (status IN ('draft','issued','closed'));
--> statement-breakpoint
ALTER TABLE campaigns ADD CONSTRAINT campaigns_year_check CHECK (year BETWEEN 1990 AND 2200);
--> statement-breakpoint
ALTER TABLE campaign_assignments ADD CONSTRAINT campaign_assignments_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE campaign_assignments ADD CONSTRAINT campaign_assignments_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE campaign_assignments ADD CONSTRAINT campaign_assignments_status_check CHECK (status IN ('active','excluded'));
--> statement-breakpoint
ALTER TABLE notices ADD CONSTRAINT notices_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE notices ADD CONSTRAINT notices_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE;
