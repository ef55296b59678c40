-- Rules the database keeps even when application code is wrong.
ALTER TABLE orgs ADD CONSTRAINT orgs_parent_fk FOREIGN KEY (parent_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE orgs ADD CONSTRAINT orgs_merged_into_fk FOREIGN KEY (merged_into_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE orgs ADD CONSTRAINT orgs_kind_check CHECK (kind IN ('confederation','provincial_federation','district_federation','commune_union','sector_union','grassroots'));
--> statement-breakpoint
ALTER TABLE orgs ADD CONSTRAINT orgs_status_check CHECK (status IN ('active','dissolved','merged'));
--> statement-breakpoint
ALTER TABLE orgs ADD CONSTRAINT orgs_validity_check CHECK (valid_to IS NULL OR valid_to >= valid_from);
--> statement-breakpoint
ALTER TABLE org_versions ADD CONSTRAINT org_versions_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE role_grants ADD CONSTRAINT role_grants_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check CHECK (role IN ('admin','federation_officer','unit_officer','viewer'));
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('active','disabled'));
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('vi','en'));
--> statement-breakpoint
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
