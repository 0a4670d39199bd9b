// Draws a TreeNode forest under its namespace, one object per line, with the box-drawing
// branches `tree(1)` uses, so the owner chain reads top to bottom.
import type { TreeNode } from './build.js';

/** renderTree returns the lines of the tree rooted at `root` (e.g. `Namespace/k8s-test`). */
export function renderTree(root: string, nodes: TreeNode[]): string[] {
  const lines = [root];
  const walk = (list: TreeNode[], prefix: string) => {
    list.forEach((node, i) => {
      const last = i === list.length - 1;
      const label = node.kind ? `${node.kind}/${node.name}` : '';
      const text = [label, node.detail].filter(Boolean).join('  ');
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${text}`);
      walk(node.children, `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk(nodes, '');
  return lines;
}
