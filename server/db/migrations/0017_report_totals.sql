CREATE TABLE "report_totals" (
	"campaign_id" uuid NOT NULL,
	"org_id" integer NOT NULL,
	"status" text NOT NULL,
	"reports" integer NOT NULL,
	"figures" jsonb NOT NULL,
	CONSTRAINT "report_totals_campaign_id_org_id_status_pk" PRIMARY KEY("campaign_id","org_id","status")
);
--> statement-breakpoint
ALTER TABLE report_totals ADD CONSTRAINT report_totals_status_check CHECK (status IN ('submitted','approved'));
--> statement-breakpoint
-- The numeric values of two figure objects added key by key (text answers are not summed).
CREATE FUNCTION report_figures_add(a jsonb, b jsonb, sign integer) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
    SELECT k, sum(n) AS v FROM (
      SELECT key AS k, value::text::numeric AS n FROM jsonb_each(coalesce(a, '{}'::jsonb)) WHERE jsonb_typeof(value) = 'number'
      UNION ALL
      SELECT key, sign * value::text::numeric FROM jsonb_each(coalesce(b, '{}'::jsonb)) WHERE jsonb_typeof(value) = 'number'
    ) x GROUP BY k
  ) y
$$;
--> statement-breakpoint
-- Adds (sign 1) or takes away (sign -1) one report's snapshot at every unit of its path, the top first (one lock order for all).
-- SECURITY DEFINER: the totals follow every change to reports, whichever role makes it (see 0016's scoped role).
CREATE FUNCTION report_totals_apply(p_campaign uuid, p_path ltree, p_status text, p_figures jsonb, p_sign integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  unit integer;
BEGIN
  IF p_status NOT IN ('submitted', 'approved') THEN
    RETURN;
  END IF;
  FOREACH unit IN ARRAY string_to_array(p_path::text, '.')::integer[] LOOP
    INSERT INTO report_totals AS t (campaign_id, org_id, status, reports, figures)
    VALUES (p_campaign, unit, p_status, p_sign, report_figures_add('{}'::jsonb, p_figures, p_sign))
    ON CONFLICT (campaign_id, org_id, status)
    DO UPDATE SET reports = t.reports + p_sign, figures = report_figures_add(t.figures, p_figures, p_sign);
  END LOOP;
  -- A unit whose last report of this status left has no row, as in the recomputation.
  DELETE FROM report_totals
  WHERE campaign_id = p_campaign AND status = p_status AND reports = 0
    AND org_id = ANY (string_to_array(p_path::text, '.')::integer[]);
END;
$$;
--> statement-breakpoint
CREATE FUNCTION reports_totals_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_path ltree;
  new_path ltree;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.figures IS NOT DISTINCT FROM NEW.figures
     AND OLD.org_id = NEW.org_id AND OLD.campaign_id = NEW.campaign_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('submitted', 'approved') THEN
    SELECT path INTO old_path FROM orgs WHERE id = OLD.org_id;
    PERFORM report_totals_apply(OLD.campaign_id, old_path, OLD.status, OLD.figures, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN ('submitted', 'approved') THEN
    SELECT path INTO new_path FROM orgs WHERE id = NEW.org_id;
    PERFORM report_totals_apply(NEW.campaign_id, new_path, NEW.status, NEW.figures, 1);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER reports_totals AFTER INSERT OR UPDATE OR DELETE ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_totals_sync();
--> statement-breakpoint
-- A unit moved in the tree (its path and its subtree's changed): its reports leave the old ancestors and join the new.
CREATE FUNCTION orgs_totals_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT rep.campaign_id, rep.status, rep.figures, o.path AS old_path, n.path AS new_path
    FROM moved_old o JOIN moved_new n ON n.id = o.id JOIN reports rep ON rep.org_id = n.id
    WHERE o.path <> n.path AND rep.status IN ('submitted', 'approved')
    ORDER BY n.path
  LOOP
    PERFORM report_totals_apply(r.campaign_id, r.old_path, r.status, r.figures, -1);
    PERFORM report_totals_apply(r.campaign_id, r.new_path, r.status, r.figures, 1);
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER orgs_totals AFTER UPDATE ON orgs REFERENCING OLD TABLE AS moved_old NEW TABLE AS moved_new
  FOR EACH STATEMENT EXECUTE FUNCTION orgs_totals_sync();
--> statement-breakpoint
-- The same sums from scratch: what the test compares the kept totals with, and what fills the table below.
CREATE VIEW report_totals_recomputed AS
  WITH contributions AS (
    SELECT r.campaign_id, unit::integer AS org_id, r.status, r.figures
    FROM reports r JOIN orgs o ON o.id = r.org_id
    CROSS JOIN LATERAL unnest(string_to_array(o.path::text, '.')) AS unit
    WHERE r.status IN ('submitted', 'approved')
  ),
  counted AS (
    SELECT campaign_id, org_id, status, count(*)::integer AS reports FROM contributions GROUP BY 1, 2, 3
  ),
  summed AS (
    SELECT campaign_id, org_id, status, jsonb_object_agg(key, total) AS figures FROM (
      SELECT c.campaign_id, c.org_id, c.status, e.key, sum(e.value::text::numeric) AS total
      FROM contributions c CROSS JOIN LATERAL jsonb_each(c.figures) e
      WHERE jsonb_typeof(e.value) = 'number'
      GROUP BY 1, 2, 3, 4
    ) s GROUP BY 1, 2, 3
  )
  SELECT c.campaign_id, c.org_id, c.status, c.reports, coalesce(s.figures, '{}'::jsonb) AS figures
  FROM counted c LEFT JOIN summed s USING (campaign_id, org_id, status);
--> statement-breakpoint
INSERT INTO report_totals (campaign_id, org_id, status, reports, figures)
  SELECT campaign_id, org_id, status, reports, figures FROM report_totals_recomputed;
