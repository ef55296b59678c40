import { Badge } from '@mantine/core';
import type { CampaignStatus } from '../../../../common/campaigns';
import { campaignKindLabel, campaignStatusLabel } from '../../lib/labels';

const STATUS_COLORS: Record<CampaignStatus, string> = {
  draft: 'gray',
  issued: 'green',
  closed: 'dark',
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid="campaign-status" style={{ flex: 'none' }}>
      {campaignStatusLabel(status)}
    </Badge>
  );
}

export function CampaignKindBadge({ kind }: { kind: string }) {
  return (
    <Badge color="orange" variant="outline" tt="none" style={{ flex: 'none' }}>
      {campaignKindLabel(kind)}
    </Badge>
  );
}
