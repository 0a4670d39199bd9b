import { expect, it } from 'vitest';
import { renderMarkdown } from '../../src/ui/markdown.js';

it('renders the lesson subset of Markdown as plain text without colour', () => {
  const md =
    '# Title\n\nA **bold** word, *one* and _two_ in italics, `code`, a snake_case_name and [a link](https://k8s.io).\n\n- item\n\n```\nkubectl get pods\n```';
  expect(renderMarkdown(md, false)).toBe(
    'Title\n\nA bold word, one and two in italics, code, a snake_case_name and a link (https://k8s.io).\n\n• item\n\n  kubectl get pods',
  );
});

it('colours when asked', () => {
  expect(renderMarkdown('`x`', true)).toContain('\x1b[');
});
