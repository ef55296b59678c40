-- The status board's "changed since approval": the newest change of a unit's benefits and activities, one probe each.
CREATE INDEX benefits_campaign_org_updated_idx ON benefits (campaign_id, org_id, updated_at);
--> statement-breakpoint
CREATE INDEX activities_campaign_org_updated_idx ON activities (campaign_id, org_id, updated_at);
--> statement-breakpoint
-- The children list in Vietnamese order: the first page stops after its rows instead of sorting the subtree.
CREATE INDEX children_sort_idx ON children ((sort_key COLLATE "C"), birth_date, id);
