// Handouts: one card per learner with the command to type and their namespace, as Markdown (to
// paste into a chat) and as HTML (to print: one card never splits across pages).
import type { Translate } from '../i18n/index.js';

/** HandoutCard is one learner's card. */
export interface HandoutCard {
  learner: string;
  namespace: string;
  kubeconfigFile: string;
  /** When the token stops working (ISO time), when known. */
  expires?: string;
}

/** learnerCommand is what a learner types. */
export function learnerCommand(kubeconfigFile: string): string {
  return `npx k8s-learn --kubeconfig ${kubeconfigFile}`;
}

/** handoutMarkdown is DIR/handout.md. */
export function handoutMarkdown(cards: HandoutCard[], t: Translate): string {
  const lines = [`# ${t('workshop.handout.title')}`, ''];
  for (const card of cards) {
    lines.push(
      `## ${card.learner}`,
      '',
      `- ${t('workshop.handout.namespace')}: \`${card.namespace}\``,
      `- ${t('workshop.handout.file')}: \`${card.kubeconfigFile}\``,
      ...(card.expires ? [`- ${t('workshop.handout.expires')}: ${card.expires}`] : []),
      '',
      '```sh',
      learnerCommand(card.kubeconfigFile),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** handoutHtml is DIR/handout.html: printable cards, no external resources. */
export function handoutHtml(cards: HandoutCard[], t: Translate, lang: string): string {
  const card = (c: HandoutCard) => `  <section class="card">
    <h2>${escapeHtml(c.learner)}</h2>
    <p>${escapeHtml(t('workshop.handout.namespace'))}: <code>${escapeHtml(c.namespace)}</code></p>
    <p>${escapeHtml(t('workshop.handout.file'))}: <code>${escapeHtml(c.kubeconfigFile)}</code></p>
    ${c.expires ? `<p>${escapeHtml(t('workshop.handout.expires'))}: ${escapeHtml(c.expires)}</p>` : ''}
    <pre>${escapeHtml(learnerCommand(c.kubeconfigFile))}</pre>
  </section>`;
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(t('workshop.handout.title'))}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1cm; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5cm, 1fr)); gap: 0.5cm; }
  .card { border: 1px dashed #555; padding: 0.4cm; break-inside: avoid; page-break-inside: avoid; }
  .card h2 { margin: 0 0 0.2cm; font-size: 1.3em; }
  pre { background: #f2f2f2; padding: 0.2cm; white-space: pre-wrap; word-break: break-all; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>${escapeHtml(t('workshop.handout.title'))}</h1>
<div class="cards">
${cards.map(card).join('\n')}
</div>
</body>
</html>
`;
}
