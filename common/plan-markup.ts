/**
 * The light markup of a plan's sections, read the same way by the Word
 * document and the web page: blank lines separate paragraphs; inside one, a
 * line starting with "- " or "1. " opens a new block and any other line
 * continues the one before it (a hard wrap). **x** is bold inside a block.
 */
export type BodyBlock = { kind: 'text' | 'dash' | 'numbered'; text: string };

const NUMBERED = /^\d{1,2}\.\s+\S/;
const DASH = /^[-–]\s+/;

export function parseBody(markup: string): BodyBlock[] {
  const blocks: BodyBlock[] = [];
  const text = markup.normalize('NFC').replace(/\r\n?/g, '\n');
  for (const chunk of text.split(/\n[ \t]*\n/)) {
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
