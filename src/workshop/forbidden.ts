// A learner never sees a raw 403 (or 401) from the workshop cluster: the line is replaced by what
// their credential cannot do and whom to ask. Texts as the API server writes them (RBAC's
// "cannot VERB resource ... at the cluster scope / in the namespace", the quota admission's
// "exceeded quota", kubectl's "You must be logged in to the server (Unauthorized)").
import type { Translate } from '../i18n/index.js';
import type { UI } from '../ui/types.js';

const rbacDenied =
  /cannot (\w+) resource "([^"]*)"(?: in API group "([^"]*)")?(?: (at the cluster scope)| in the namespace "([^"]*)")?/;
const quotaExceeded = /exceeded quota: ([^,]+), requested: ([^,]+(?:,[^,:]+=[^,]+)*), used: /;
const unauthorized = /You must be logged in to the server|\(Unauthorized\)|Unauthorized$/;

/** explainDenied turns one line of cluster output into the learner's sentence, or undefined. */
export function explainDenied(line: string, t: Translate, ownNamespace: string): string | undefined {
  const rbac = rbacDenied.exec(line);
  if (rbac) {
    const [, verb, resource, group, clusterScope, namespace] = rbac;
    const what = group ? `${resource}.${group}` : resource!;
    if (clusterScope || !namespace) return t('workshop.denied.cluster', { verb: verb!, resource: what });
    if (namespace !== ownNamespace) {
      return t('workshop.denied.otherNamespace', {
        verb: verb!,
        resource: what,
        namespace,
        own: ownNamespace,
      });
    }
    return t('workshop.denied.own', { verb: verb!, resource: what, namespace });
  }
  const quota = quotaExceeded.exec(line);
  if (quota) return t('workshop.denied.quota', { quota: quota[1]!.trim(), requested: quota[2]!.trim() });
  if (unauthorized.test(line)) return t('workshop.denied.unauthorized');
  return undefined;
}

/** explainText rewrites every denied line of a block of output. */
export function explainText(text: string, t: Translate, ownNamespace: string): string {
  if (!/forbidden|Forbidden|Unauthorized|logged in/.test(text)) return text;
  return text
    .split('\n')
    .map((line) => explainDenied(line, t, ownNamespace) ?? line)
    .join('\n');
}

/** explainingUI wraps a UI so that every message passes through explainText. */
export function explainingUI(ui: UI, t: Translate, ownNamespace: string): UI {
  const x = (text: string) => explainText(text, t, ownNamespace);
  return {
    get interactive() {
      return ui.interactive;
    },
    intro: (m) => ui.intro(m),
    outro: (m) => ui.outro(x(m)),
    note: (body, title) => ui.note(x(body), title),
    info: (m) => ui.info(x(m)),
    success: (m) => ui.success(m),
    warn: (m) => ui.warn(x(m)),
    error: (m) => ui.error(x(m)),
    step: (m) => ui.step(m),
    select: (p) => ui.select(p),
    confirm: (p) => ui.confirm(p),
    text: (p) => ui.text(p),
    spinner() {
      const s = ui.spinner();
      return {
        start: (m) => s.start(m),
        message: (m) => s.message(m),
        stop: (m, ok) => s.stop(x(m), ok),
      };
    },
  };
}
