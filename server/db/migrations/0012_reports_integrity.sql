ALTER TABLE report_templates ADD CONSTRAINT report_templates_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE report_templates ADD CONSTRAINT report_templates_remind_check CHECK (remind_days_before BETWEEN 0 AND 60);
--> statement-breakpoint
ALTER TABLE reports ADD CONSTRAINT reports_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE reports ADD CONSTRAINT reports_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE reports ADD CONSTRAINT reports_status_check CHECK (status IN ('draft','submitted','returned','approved'));
--> statement-breakpoint
ALTER TABLE reports ADD CONSTRAINT reports_snapshot_check CHECK (status NOT IN ('submitted','approved') OR (figures IS NOT NULL AND submitted_at IS NOT NULL));
--> statement-breakpoint
ALTER TABLE reports ADD CONSTRAINT reports_returned_check CHECK (status <> 'returned' OR coalesce(return_comment, '') <> '');
--> statement-breakpoint
CREATE INDEX reports_campaign_status_idx ON reports (campaign_id, status);
--> statement-breakpoint
ALTER TABLE report_exceptions ADD CONSTRAINT report_exceptions_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE report_exceptions ADD CONSTRAINT report_exceptions_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE report_reminders ADD CONSTRAINT report_reminders_kind_check CHECK (kind IN ('before','due','late_list'));
