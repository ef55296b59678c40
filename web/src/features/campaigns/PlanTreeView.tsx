import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/links';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { formatPercent, usePlanTree, type PlanTreeNode } from './api';
import { CampaignStatusBadge } from './CampaignBadges';

/** The plans that implement this one, down the tree, each with its own coverage. */
export function PlanTreeView({ id }: { id: string }) {
  const tree = usePlanTree(id);
  if (tree.isPending) return <PageLoader />;
  if (tree.error) return <ErrorAlert error={tree.error} onRetry={() => void tree.refetch()} />;
  return (
    <div data-testid="plan-tree">
      <TreeNode node={tree.data} root />
    </div>
  );
}

function TreeNode({ node, root }: { node: PlanTreeNode; root?: boolean }) {
  const { t } = useTranslation();
  const cov = node.coverage;
  const percent = formatPercent(cov.percent);
  return (
    <Stack gap="xs">
      <Paper withBorder p="sm" data-testid={`plan-tree-node-${node.id}`} data-doc-number={node.docNumber}>
        <Stack gap={4}>
          <Group gap={6} wrap="wrap">
            {root ? (
              <Text fw={700} ff="monospace" size="sm">
                {node.docNumber}
              </Text>
            ) : (
              <AnchorLink to="/ke-hoach/$id" params={{ id: node.id }} fw={700} ff="monospace" size="sm">
                {node.docNumber}
              </AnchorLink>
            )}
            <CampaignStatusBadge status={node.status} />
          </Group>
          <Text size="sm" className="wrap-anywhere">
            {node.title}
          </Text>
          <Text size="xs" c="dimmed" className="wrap-anywhere" data-testid="plan-tree-org">
            {node.issuingOrg.name}
          </Text>
          {node.status !== 'draft' && (
            <Stack gap={2} mt={2}>
              <Progress value={Math.min(100, cov.percent)} color={cov.percent >= 100 ? 'green' : 'teal'} size="md" aria-label={percent} />
              <Text size="xs" data-testid="plan-tree-coverage">
                {t('campaigns.tree.coverage', { acknowledged: cov.acknowledged, inScope: cov.inScope, percent })}
              </Text>
            </Stack>
          )}
        </Stack>
      </Paper>
      {(node.children.length > 0 || node.withoutPlan.length > 0 || root) && (
        <Stack gap="xs" pl="md" ml={6} style={{ borderInlineStart: '2px solid var(--mantine-color-gray-3)' }}>
          {node.children.map((ch) => (
            <TreeNode key={ch.id} node={ch} />
          ))}
          {root && node.children.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('campaigns.tree.noChildren')}
            </Text>
          )}
          {node.withoutPlan.length > 0 && (
            <div data-testid={`plan-tree-without-${node.id}`}>
              <Text size="sm" fw={600}>
                {t('campaigns.tree.withoutPlan')}
              </Text>
              {node.withoutPlan.map((o) => (
                <Text key={o.orgId} size="sm" className="wrap-anywhere" data-testid={`plan-tree-without-org-${o.code}`}>
                  • {o.name}{' '}
                  <Text span size="xs" c="dimmed" ff="monospace">
                    {o.code}
                  </Text>
                </Text>
              ))}
            </div>
          )}
        </Stack>
      )}
    </Stack>
  );
}
