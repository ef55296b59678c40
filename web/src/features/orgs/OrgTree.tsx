import { ActionIcon, Group, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/links';
import type { OrgNode } from './api';
import { KindBadge, OrgStatusBadge } from './OrgBadges';

/** Which nodes are open: the first `depth` levels, plus the user's own clicks. */
export function useTreeExpansion(defaultDepth = 2) {
  const [depth, setDepth] = useState(defaultDepth);
  const [overrides, setOverrides] = useState<ReadonlyMap<number, boolean>>(new Map());

  const isExpanded = useCallback(
    (id: number, level: number) => overrides.get(id) ?? level < depth,
    [overrides, depth],
  );
  const toggle = useCallback((id: number, level: number) => {
    setOverrides((prev) => {
      const next = new Map(prev);
      next.set(id, !(prev.get(id) ?? level < depth));
      return next;
    });
  }, [depth]);
  /** Open these nodes (e.g. the ancestors of a unit just added). */
  const reveal = useCallback((ids: number[]) => {
    setOverrides((prev) => {
      const next = new Map(prev);
      for (const id of ids) next.set(id, true);
      return next;
    });
  }, []);
  const expandAll = useCallback(() => {
    setDepth(Number.POSITIVE_INFINITY);
    setOverrides(new Map());
  }, []);
  const collapseAll = useCallback(() => {
    setDepth(1);
    setOverrides(new Map());
  }, []);
  return { isExpanded, toggle, reveal, expandAll, collapseAll };
}

export type TreeExpansion = ReturnType<typeof useTreeExpansion>;

interface TreeProps {
  roots: OrgNode[];
  expansion: TreeExpansion;
  highlightId?: number | null;
}

export function OrgTree({ roots, expansion, highlightId }: TreeProps) {
  return (
    <ul className="org-tree-list" data-testid="org-tree">
      {roots.map((node) => (
        <OrgTreeItem key={node.id} node={node} level={0} expansion={expansion} highlightId={highlightId} />
      ))}
    </ul>
  );
}

function OrgTreeItem({
  node,
  level,
  expansion,
  highlightId,
}: {
  node: OrgNode;
  level: number;
  expansion: TreeExpansion;
  highlightId?: number | null;
}) {
  const { t } = useTranslation();
  const hasChildren = node.children.length > 0;
  const expanded = hasChildren && expansion.isExpanded(node.id, level);
  const highlighted = highlightId === node.id;

  return (
    <li>
      <div
        className="org-tree-row"
        data-testid={`org-node-${node.code}`}
        data-org-id={node.id}
        style={highlighted ? { background: 'var(--mantine-color-yellow-1)' } : undefined}
      >
        {hasChildren ? (
          <ActionIcon
            variant="subtle"
            color="gray"
            size="md"
            onClick={() => expansion.toggle(node.id, level)}
            aria-expanded={expanded}
            aria-label={expanded ? t('orgs.collapse', { name: node.name }) : t('orgs.expand', { name: node.name })}
          >
            {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          </ActionIcon>
        ) : (
          <span className="org-tree-spacer" />
        )}
        <Group gap={6} wrap="wrap" className="wrap-anywhere" style={{ flex: 1 }}>
          <AnchorLink
            to="/don-vi/$id"
            params={{ id: String(node.id) }}
            fw={level === 0 ? 700 : 500}
            c={node.status === 'active' ? undefined : 'dimmed'}
            size="sm"
            className="wrap-anywhere"
          >
            {node.name}
          </AnchorLink>
          <Text span size="xs" c="dimmed" ff="monospace">
            {node.code}
          </Text>
          <KindBadge kind={node.kind} />
          <OrgStatusBadge status={node.status} hideActive />
        </Group>
      </div>
      {expanded && (
        <ul className="org-tree-list">
          {node.children.map((child) => (
            <OrgTreeItem
              key={child.id}
              node={child}
              level={level + 1}
              expansion={expansion}
              highlightId={highlightId}
            />
          ))}
        </ul>
      )}
    </li>
  );
}
