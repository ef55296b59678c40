import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { parseBody } from '../../../../common/plan-markup';


/** **bold** runs inside a line; an unmatched ** stays as it is. */
export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /\*\*(.+?)\*\*/g;
  let last = 0;
  let i = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(<strong key={i++}>{m[1]}</strong>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A section body (or the opening) rendered: paragraphs, dash items, bold sub-headings. */
export function PlanText({ markup }: { markup: string }) {
  const blocks = parseBody(markup);
  if (blocks.length === 0) return null;
  return (
    <Stack gap={6}>
      {blocks.map((b, i) => (
        <Text
          key={i}
          size="sm"
          fw={b.kind === 'numbered' ? 700 : undefined}
          className="wrap-anywhere plan-text"
          style={{ textAlign: 'justify', textIndent: b.kind === 'dash' ? undefined : '1.5em' }}
          pl={b.kind === 'dash' ? 'md' : undefined}
        >
          {inline(b.text)}
        </Text>
      ))}
    </Stack>
  );
}
