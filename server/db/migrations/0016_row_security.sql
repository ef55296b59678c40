-- Row-level security: a second wall, in the database, around the register,
-- benefits, reports and money (docs/decisions/012-row-level-security.md).
-- The wall applies to the role `lantern_scoped` only: the app's login role
-- owns the tables and is not subject to it (no FORCE), so migrations, jobs
-- and writes keep working as before. A read that wants the wall runs, in one
-- transaction, SET LOCAL ROLE lantern_scoped and
-- set_config('lantern.scope', '<path>,<path>', true) (server/lib/row-scope.ts);
-- it then sees only the rows whose unit lies in those subtrees. No setting,
-- or an empty one, shows no rows.
--
-- Roles are cluster-wide while this file runs once per database (and test
-- runs create many databases on one server, some at the same time): the role
-- is created only when missing, and a concurrent creation is not an error.
DO $$
DECLARE
  may_set boolean;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lantern_scoped') THEN
    BEGIN
      CREATE ROLE lantern_scoped NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  -- A login role that is not a superuser may SET ROLE only to a role granted to it
  -- (from PostgreSQL 16, granted WITH SET).
  IF current_setting('server_version_num')::int >= 160000 THEN
    may_set := pg_has_role(current_user, 'lantern_scoped', 'SET');
  ELSE
    may_set := pg_has_role(current_user, 'lantern_scoped', 'MEMBER');
  END IF;
  IF NOT may_set THEN
    BEGIN
      EXECUTE format('GRANT lantern_scoped TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'role lantern_scoped must be granted to %: GRANT lantern_scoped TO %', current_user, current_user;
    END;
  END IF;
END
$$;
--> statement-breakpoint
-- The caller's subtrees: the paths in lantern.scope, or NULL (nothing) when unset or empty.
CREATE OR REPLACE FUNCTION lantern_scope() RETURNS ltree[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT string_to_array(nullif(current_setting('lantern.scope', true), ''), ',')::ltree[] $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO lantern_scoped;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION lantern_scope() TO lantern_scoped;
--> statement-breakpoint
-- What the walled reads join besides the protected tables: the tree, the plans, and of an account only its name.
GRANT SELECT ON orgs, campaigns, campaign_assignments TO lantern_scoped;
--> statement-breakpoint
GRANT SELECT (id, full_name) ON users TO lantern_scoped;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON
  members, children, child_parents, benefits, benefit_budgets, reports,
  sponsors, pledges, receipts, fund_entries, fund_transfers, earmarks, commendations,
  activities, activity_files
  TO lantern_scoped;
--> statement-breakpoint
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE children ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE child_parents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE benefits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE benefit_budgets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sponsors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE pledges ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE receipts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE fund_entries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE fund_transfers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE earmarks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE commendations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE activities ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE activity_files ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY members_scope ON members TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY children_scope ON children TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
-- A link goes with its child, whose unit decides (the children policy applies inside too).
CREATE POLICY child_parents_scope ON child_parents TO lantern_scoped
  USING (EXISTS (SELECT 1 FROM children c WHERE c.id = child_id AND c.org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope())));
--> statement-breakpoint
CREATE POLICY benefits_scope ON benefits TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY benefit_budgets_scope ON benefit_budgets TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY reports_scope ON reports TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
-- A sponsor is read from its unit's subtree and from the levels above it (as fundPolicy.sponsorVisible);
-- it is written only within the subtree.
CREATE POLICY sponsors_scope ON sponsors TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope() OR o.path @> lantern_scope()))
  WITH CHECK (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY pledges_scope ON pledges TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY receipts_scope ON receipts TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY fund_entries_scope ON fund_entries TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
-- A transfer is seen by the sender's and by the receiver's subtree; written by the sender's.
CREATE POLICY fund_transfers_scope ON fund_transfers TO lantern_scoped
  USING (from_org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()) OR to_org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()))
  WITH CHECK (from_org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY earmarks_scope ON earmarks TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY commendations_scope ON commendations TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY activities_scope ON activities TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
--> statement-breakpoint
CREATE POLICY activity_files_scope ON activity_files TO lantern_scoped
  USING (org_id IN (SELECT o.id FROM orgs o WHERE o.path <@ lantern_scope()));
