ALTER TABLE members ADD CONSTRAINT members_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE children ADD CONSTRAINT children_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id);
--> statement-breakpoint
ALTER TABLE children ADD CONSTRAINT children_sex_check CHECK (sex IN ('male','female'));
--> statement-breakpoint
ALTER TABLE child_parents ADD CONSTRAINT child_parents_child_fk FOREIGN KEY (child_id) REFERENCES children(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE child_parents ADD CONSTRAINT child_parents_member_fk FOREIGN KEY (member_id) REFERENCES members(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE duplicate_dismissals ADD CONSTRAINT duplicate_dismissals_a_fk FOREIGN KEY (child_a) REFERENCES children(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE duplicate_dismissals ADD CONSTRAINT duplicate_dismissals_b_fk FOREIGN KEY (child_b) REFERENCES children(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE duplicate_dismissals ADD CONSTRAINT duplicate_dismissals_order_check CHECK (child_a < child_b);
