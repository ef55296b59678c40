import { TreeSelect, type TreeNodeData } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { foldVietnamese } from '../../../common/vietnamese';
import { treeRoots, useOrgTree, type OrgNode } from '../features/orgs/api';

interface Props {
  label: string;
  value: number | null;
  onChange: (id: number | null) => void;
  error?: React.ReactNode;
  required?: boolean;
  description?: React.ReactNode;
  /** Hide this unit and everything below it (a unit cannot move under itself). */
  excludeId?: number;
  'data-testid'?: string;
}

function toData(node: OrgNode, excludeId: number | undefined): TreeNodeData | null {
  if (node.id === excludeId || node.status !== 'active') return null;
  const children = node.children
    .map((c) => toData(c, excludeId))
    .filter((c): c is TreeNodeData => c !== null);
  return {
    value: String(node.id),
    label: `${node.name} (${node.code})`,
    ...(children.length > 0 ? { children } : {}),
  };
}

/** Pick an active unit from the caller's tree; typing filters by name or code, without diacritics. */
export function OrgPicker({ label, value, onChange, error, required, description, excludeId, ...rest }: Props) {
  const { t } = useTranslation();
  const tree = useOrgTree();
  const roots = treeRoots(tree.data);
  const data = useMemo(
    () => roots.map((r) => toData(r, excludeId)).filter((n): n is TreeNodeData => n !== null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [tree.data, excludeId],
  );

  return (
    <TreeSelect
      // Remount once the tree arrives, so a preset value shows its unit's name rather than its id.
      key={data.length > 0 ? 'ready' : 'loading'}
      label={label}
      description={description}
      placeholder={t('orgs.pickerSearch')}
      data={data}
      value={value === null ? null : String(value)}
      onChange={(v) => onChange(v ? Number(v) : null)}
      searchable
      clearable
      withLines
      defaultExpandedValues={data.map((d) => d.value)}
      filter={(query, node) => foldVietnamese(String(node.label)).includes(foldVietnamese(query))}
      nothingFoundMessage={t('orgs.noResults')}
      error={error ?? (tree.error ? t('errors.generic') : undefined)}
      required={required}
      disabled={tree.isPending}
      maxDropdownHeight={320}
      data-testid={rest['data-testid']}
    />
  );
}
