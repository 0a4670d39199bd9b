// A small Markdown-to-terminal renderer for lesson text: headings, emphasis, inline code, links,
// lists and fenced code blocks. Lessons use only this subset (docs/course-format.md); a full
// Markdown engine would cost more start-up than it gives.
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** renderMarkdown turns Markdown into lines for the terminal; colour only when `color`. */
export function renderMarkdown(source: string, color: boolean): string {
  const paint = (style: Style, text: string) =>
    color ? styleText(style, text, { validateStream: false }) : text;
  const inline = (text: string) =>
    text
      .replace(/`([^`]+)`/g, (_, code: string) => paint('cyan', code))
      .replace(/\*\*([^*]+)\*\*/g, (_, b: string) => paint('bold', b))
      .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, (_, pre: string, i: string) => pre + paint('italic', i))
      .replace(/(^|[^\w_])_([^_\s][^_]*)_(?!\w)/g, (_, pre: string, i: string) => pre + paint('italic', i))
      .replace(
        /\[([^\]]+)\]\(([^)]+)\)/g,
        (_, label: string, url: string) => `${label} (${paint('underline', url)})`,
      );
  const out: string[] = [];
  let inCode = false;
  for (const line of source.replace(/\r\n/g, '\n').trimEnd().split('\n')) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(`  ${paint('cyan', line)}`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push(paint('bold', inline(heading[2]!)));
      continue;
    }
    const item = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (item) {
      out.push(`${item[1]}• ${inline(item[2]!)}`);
      continue;
    }
    out.push(inline(line));
  }
  return out.join('\n');
}
