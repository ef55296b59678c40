-- The audit log stays append-only, with one exception: when a child's personal data is anonymised or erased
-- (consent withdrawn, a request, the retention period), the personal values its earlier audit rows recorded
-- are removed too. Only `before` and `after` may change, and only inside a transaction that says so
-- (set_config('lantern.audit_redaction', 'on', true)); who did what, when, to which record stays.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('lantern.audit_redaction', true) = 'on'
     AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
     AND NEW.entity_type = OLD.entity_type AND NEW.entity_id = OLD.entity_id
     AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor_email IS NOT DISTINCT FROM OLD.actor_email
     AND NEW.org_id IS NOT DISTINCT FROM OLD.org_id AND NEW.ip IS NOT DISTINCT FROM OLD.ip THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
