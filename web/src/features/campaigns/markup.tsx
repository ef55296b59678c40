import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export type BodyBlock = { kind: 'text' | 'dash' | 'numbered'; text: string };

const NUMBERED = /^\d{1,2}\.\s+\S/;
const DASH = /^[-–]\s+/;

/**
 * The plan's light markup → blocks, as the official document reads it: blank
 * lines separate paragraphs; inside one, a line starting with "- " or "1. "
 * opens a new block and any other line continues the one before it.
 */
export function parseBody(markup: string): BodyBlock[] {
  const blocks: BodyBlock[] = [];
  const clean = markup.normalize('NFC').replace(/\r\n?/g, '\n');
  for (const chunk of clean.split(/\n[ \t]*\n/)) {
    let current: BodyBlock | null = null;
    for (const raw of chunk.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const kind: BodyBlock['kind'] | null = DASH.test(line) ? 'dash' : NUMBERED.test(line) ? 'numbered' : null;
      if (kind || !current) {
        current = { kind: kind ?? 'text', text: line };
        blocks.push(current);
      } else {
        current.text = `${current.text} ${line}`;
      }
    }
  }
  return blocks;
}

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
