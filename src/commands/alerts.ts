// `k8s-learn alerts [-n NS] [--watch] [--json]`: what is unhealthy in the course's cluster, what it
// means and how to fix it. Exit 1 while any alert is active (0 when healthy).

import { styleText } from 'node:util';
import { collectSnapshot, SnapshotError } from '../alerts/collect.js';
import { diagnose, startingPods } from '../alerts/diagnose.js';
import { explain, renderAlerts } from '../alerts/render.js';
import type { Alert } from '../alerts/types.js';
import { watchAlerts } from '../alerts/watch.js';
import type { CommandArgs } from '../cli/registry.js';
import { UserError } from '../errors.js';
import { createTranslator, type Translate } from '../i18n/index.js';
import { contextHint, createKubectl } from '../kubectl.js';
import { createRunner } from '../runner.js';
import { commandTarget } from './command-target.js';

function toJson(alerts: Alert[], t: Translate) {
  return alerts.map((a) => ({ ...a, ...explain(a, t) }));
}

/** run is the alerts command. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const runner = createRunner();
  // A workshop learner (--kubeconfig, or a workspace that recorded one) looks at their namespace
  // only. (`-n` here is alerts' own flag, not the workshop's --namespace.)
  const target = await commandTarget(args, runner, t);
  const namespace = typeof args.flags.namespace === 'string' ? args.flags.namespace : target.namespace;
  const kubectl = createKubectl(runner, target);
  const read = async () => {
    try {
      return await collectSnapshot(kubectl, namespace);
    } catch (err) {
      if (err instanceof SnapshotError) {
        throw new UserError(
          t('alerts.readFailed', { context: target.context, error: err.message }),
          t('alerts.readFailed.fix', { command: contextHint(target).command }),
        );
      }
      throw err;
    }
  };
  const json = args.flags.json === true;
  if (args.flags.watch === true) {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    const active = await watchAlerts({
      read,
      signal: controller.signal,
      onChange: (changes, all) => {
        const now = new Date();
        if (json) {
          process.stdout.write(
            `${JSON.stringify({ time: now.toISOString(), changes: changes.map((c) => ({ change: c.change, ...toJson([c.alert], t)[0] })), active: all.length })}\n`,
          );
          return;
        }
        process.stdout.write(
          `${styleText('dim', `— ${now.toLocaleTimeString()} · ${t('alerts.activeCount', { count: all.length })}`)}\n`,
        );
        for (const c of changes) {
          const mark = c.change === 'raised' ? styleText('red', '+') : styleText('green', '✓');
          process.stdout.write(
            `${mark} ${t(`alerts.change.${c.change}`, { object: `${c.alert.namespace}/${c.alert.object}`, reason: c.alert.reason })}\n`,
          );
        }
        if (changes.some((c) => c.change === 'raised'))
          process.stdout.write(`${renderAlerts(all, t, now).join('\n')}\n`);
      },
    });
    process.off('SIGINT', stop);
    return active.length > 0 ? 1 : 0;
  }
  const snapshot = await read();
  const alerts = diagnose(snapshot);
  if (json) process.stdout.write(`${JSON.stringify(toJson(alerts, t), null, 2)}\n`);
  else process.stdout.write(`${renderAlerts(alerts, t, new Date()).join('\n')}\n`);
  // "No alerts" right after an apply only means nothing has failed yet: say which pods are still
  // on their way, so the learner looks again instead of reading it as healthy.
  const starting = json ? [] : startingPods(snapshot, alerts);
  if (starting.length > 0) {
    const pods = starting.map((p) => `${p.namespace}/${p.name} (${p.state})`).join(', ');
    process.stdout.write(`${styleText('yellow', t('alerts.starting', { count: starting.length, pods }))}\n`);
  }
  return alerts.length > 0 ? 1 : 0;
}
