ALTER TABLE "reports" ADD COLUMN "changed_since_approval" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- Whether a unit recorded benefits or activities after its report's approval: the board's "changed since approval".
-- Two index probes on (campaign_id, org_id, updated_at). The flag below is kept equal to it; the test compares them.
-- SECURITY DEFINER: it must see every row whichever role writes (see 0016's scoped role).
CREATE FUNCTION report_changed_since(p_campaign uuid, p_org integer, p_status text, p_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(p_status = 'approved' AND (
    EXISTS (SELECT 1 FROM benefits b WHERE b.campaign_id = p_campaign AND b.org_id = p_org AND b.updated_at > p_at)
    OR EXISTS (SELECT 1 FROM activities v WHERE v.campaign_id = p_campaign AND v.org_id = p_org AND v.updated_at > p_at)), false)
$$;
--> statement-breakpoint
-- A report's own change (approved, returned, reopened, moved): the flag is asked again of that report.
CREATE FUNCTION reports_changed_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.approved_at IS DISTINCT FROM NEW.approved_at
     OR OLD.campaign_id <> NEW.campaign_id OR OLD.org_id <> NEW.org_id THEN
    NEW.changed_since_approval := report_changed_since(NEW.campaign_id, NEW.org_id, NEW.status, NEW.approved_at);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER reports_changed BEFORE INSERT OR UPDATE ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_changed_sync();
--> statement-breakpoint
-- A statement on benefits or activities: the approved reports of the (plan, unit) pairs it touched. A new row can
-- only raise the flag (one comparison per pair); an update or a delete asks again, as a deleted row may have been
-- the only change since the approval.
CREATE FUNCTION unit_records_changed_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE reports r SET changed_since_approval = true
    FROM (SELECT campaign_id, org_id, max(updated_at) AS last FROM changed_new GROUP BY 1, 2) c
    WHERE r.campaign_id = c.campaign_id AND r.org_id = c.org_id AND r.status = 'approved'
      AND NOT r.changed_since_approval AND c.last > r.approved_at;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE reports r SET changed_since_approval = report_changed_since(r.campaign_id, r.org_id, r.status, r.approved_at)
    FROM (SELECT campaign_id, org_id FROM changed_new UNION SELECT campaign_id, org_id FROM changed_old) c
    WHERE r.campaign_id = c.campaign_id AND r.org_id = c.org_id AND r.status = 'approved'
      AND r.changed_since_approval IS DISTINCT FROM report_changed_since(r.campaign_id, r.org_id, r.status, r.approved_at);
  ELSE
    UPDATE reports r SET changed_since_approval = report_changed_since(r.campaign_id, r.org_id, r.status, r.approved_at)
    FROM (SELECT DISTINCT campaign_id, org_id FROM changed_old) c
    WHERE r.campaign_id = c.campaign_id AND r.org_id = c.org_id AND r.status = 'approved'
      AND r.changed_since_approval IS DISTINCT FROM report_changed_since(r.campaign_id, r.org_id, r.status, r.approved_at);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER benefits_changed_insert AFTER INSERT ON benefits REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION unit_records_changed_sync();
--> statement-breakpoint
CREATE TRIGGER benefits_changed_update AFTER UPDATE ON benefits REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION unit_records_changed_sync();
--> statement-breakpoint
CREATE TRIGGER benefits_changed_delete AFTER DELETE ON benefits REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION unit_records_changed_sync();
--> statement-breakpoint
CREATE TRIGGER activities_changed_insert AFTER INSERT ON activities REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION unit_records_changed_sync();
--> statement-breakpoint
CREATE TRIGGER activities_changed_update AFTER UPDATE ON activities REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION unit_records_changed_sync();
--> statement-breakpoint
CREATE TRIGGER activities_changed_delete AFTER DELETE ON activities REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION unit_records_changed_sync();
--> statement-breakpoint
UPDATE reports SET changed_since_approval = true
  WHERE status = 'approved' AND report_changed_since(campaign_id, org_id, status, approved_at);
