-- The kept totals (0017) are brought up to date when the transaction commits instead of at the report's UPDATE.
-- Every submission adds to the same rows at the top of the tree (the root's totals), so their lock is what
-- submissions queue on: held from the trigger to the commit, it covered the audit row, the notices and the mail
-- of each submission. Deferred, it is held only for the totals themselves and the commit. Each event keeps its own
-- OLD and NEW, and the totals are sums, so applying them later in the same order gives the same result.
DROP TRIGGER reports_totals ON reports;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER reports_totals AFTER INSERT OR UPDATE OR DELETE ON reports
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION reports_totals_sync();
--> statement-breakpoint
-- A move in the tree (orgs_totals, 0017) moves each report's current figures from the old path to the new. Report
-- changes still waiting for the commit would then be applied along the new path only: they are applied first,
-- before any unit's path changes, and the rest of that transaction keeps its totals up to date at once.
CREATE FUNCTION orgs_totals_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SET CONSTRAINTS reports_totals IMMEDIATE;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER orgs_totals_flush BEFORE UPDATE ON orgs
  FOR EACH STATEMENT EXECUTE FUNCTION orgs_totals_flush();
