ALTER TABLE sponsors ADD CONSTRAINT sponsors_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE sponsors ADD CONSTRAINT sponsors_kind_check CHECK (kind IN ('organization','individual'));
--> statement-breakpoint
ALTER TABLE sponsors ADD CONSTRAINT sponsors_name_check CHECK (btrim(name) <> '');
--> statement-breakpoint
ALTER TABLE pledges ADD CONSTRAINT pledges_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE pledges ADD CONSTRAINT pledges_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE pledges ADD CONSTRAINT pledges_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE pledges ADD CONSTRAINT pledges_form_check CHECK (form IN ('cash','in_kind'));
--> statement-breakpoint
ALTER TABLE pledges ADD CONSTRAINT pledges_amount_check CHECK (amount > 0);
--> statement-breakpoint
ALTER TABLE pledges ADD CONSTRAINT pledges_in_kind_check CHECK (form <> 'in_kind' OR (coalesce(item, '') <> '' AND quantity > 0 AND unit_value >= 0 AND amount = quantity * unit_value));
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_pledge_fk FOREIGN KEY (pledge_id) REFERENCES pledges(id);
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_form_check CHECK (form IN ('cash','in_kind'));
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_amount_check CHECK (amount > 0);
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_method_check CHECK (method IS NULL OR method IN ('cash','bank_transfer','other'));
--> statement-breakpoint
ALTER TABLE receipts ADD CONSTRAINT receipts_in_kind_check CHECK (form <> 'in_kind' OR (coalesce(item, '') <> '' AND quantity > 0 AND unit_value >= 0 AND amount = quantity * unit_value));
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_receipt_fk FOREIGN KEY (receipt_id) REFERENCES receipts(id);
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_source_check CHECK (source IN ('unit_funds','upper_funds','sponsor'));
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_sponsor_check CHECK ((source = 'sponsor') = (sponsor_id IS NOT NULL));
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_direction_check CHECK (direction IN ('in','out'));
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_kind_check CHECK (kind IN ('allocation','receipt','transfer_in','transfer_out','event_cost','child_sponsorship','correction'));
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_amount_check CHECK (amount > 0);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION fund_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'fund_entries is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER fund_entries_no_update BEFORE UPDATE OR DELETE ON fund_entries FOR EACH ROW EXECUTE FUNCTION fund_entries_append_only();
--> statement-breakpoint
ALTER TABLE fund_transfers ADD CONSTRAINT fund_transfers_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE fund_transfers ADD CONSTRAINT fund_transfers_from_fk FOREIGN KEY (from_org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE fund_transfers ADD CONSTRAINT fund_transfers_to_fk FOREIGN KEY (to_org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE fund_transfers ADD CONSTRAINT fund_transfers_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE fund_transfers ADD CONSTRAINT fund_transfers_source_check CHECK (source IN ('unit_funds','upper_funds','sponsor'));
--> statement-breakpoint
ALTER TABLE fund_transfers ADD CONSTRAINT fund_transfers_amount_check CHECK (amount > 0);
--> statement-breakpoint
ALTER TABLE fund_transfers ADD CONSTRAINT fund_transfers_distinct_check CHECK (from_org_id <> to_org_id);
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_transfer_fk FOREIGN KEY (transfer_id) REFERENCES fund_transfers(id);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_receipt_fk FOREIGN KEY (receipt_id) REFERENCES receipts(id);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_target_org_fk FOREIGN KEY (target_org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_child_fk FOREIGN KEY (child_id) REFERENCES children(id);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_target_check CHECK ((target_org_id IS NULL) <> (child_id IS NULL));
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_amount_check CHECK (amount > 0);
--> statement-breakpoint
ALTER TABLE earmarks ADD CONSTRAINT earmarks_period_check CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to);
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_earmark_fk FOREIGN KEY (earmark_id) REFERENCES earmarks(id);
--> statement-breakpoint
ALTER TABLE commendations ADD CONSTRAINT commendations_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE commendations ADD CONSTRAINT commendations_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE commendations ADD CONSTRAINT commendations_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE commendations ADD CONSTRAINT commendations_subject_check CHECK ((subject_kind = 'person' AND coalesce(person_name, '') <> '') OR (subject_kind = 'sponsor' AND sponsor_id IS NOT NULL));
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_sponsor_fk FOREIGN KEY (cost_sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_kind_check CHECK (kind IN ('festival_night','visit_gifts','communication','parent_training','competition','other'));
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_channel_check CHECK (channel IN ('in_person','zoom','zalo','facebook','other_online'));
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_status_check CHECK (status IN ('planned','held','held_online','postponed','cancelled_epidemic','cancelled_other'));
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_counts_check CHECK (participants_children >= 0 AND participants_parents >= 0 AND participants_members >= 0 AND (reach IS NULL OR reach >= 0) AND cost >= 0);
--> statement-breakpoint
ALTER TABLE activities ADD CONSTRAINT activities_cost_source_check CHECK (cost_source IS NULL OR cost_source IN ('unit_funds','upper_funds','sponsor'));
--> statement-breakpoint
ALTER TABLE activity_files ADD CONSTRAINT activity_files_activity_fk FOREIGN KEY (activity_id) REFERENCES activities(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE activity_files ADD CONSTRAINT activity_files_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE activity_files ADD CONSTRAINT activity_files_type_check CHECK (content_type IN ('image/jpeg','image/png','image/webp','application/pdf'));
--> statement-breakpoint
ALTER TABLE activity_files ADD CONSTRAINT activity_files_size_check CHECK (size > 0 AND size <= 10485760);
--> statement-breakpoint
ALTER TABLE fund_entries ADD CONSTRAINT fund_entries_activity_fk FOREIGN KEY (activity_id) REFERENCES activities(id);
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES sponsors(id);
--> statement-breakpoint
ALTER TABLE benefits ADD CONSTRAINT benefits_sponsor_check CHECK (sponsor_id IS NULL OR funding_source = 'sponsor');
