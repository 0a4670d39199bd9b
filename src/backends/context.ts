// The context backend: a cluster the user names explicitly (`--cluster context:NAME`). We check the
// context exists and answers, and ask once before the first write; the course then stays inside
// its own namespace. Nothing is ever deleted here except what the course created.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { createKubectl, kubectlError } from '../kubectl.js';
import type { Backend } from './types.js';

/** createContextBackend returns the backend for an existing, user-named context. */
export function createContextBackend(name: string): Backend {
  const target = { backend: 'context', context: name };
  return {
    name: 'context',
    context: name,
    async ensure(env) {
      const kubectl = createKubectl(env.runner, target);
      const probe = await kubectl.run(['get', '--raw', '/version'], { readOnly: true, timeoutMs: 20_000 });
      if (probe.exitCode !== 0) {
        throw new UserError(
          env.t('backends.context.unreachable', { name, error: kubectlError(probe) }),
          env.t('backends.context.unreachable.fix', { name }),
        );
      }
      // Ask once per workspace and context, before anything is written to that cluster.
      const marker = join(env.workspace, '.k8s-learn', 'confirmed-contexts');
      const confirmed = existsSync(marker) ? readFileSync(marker, 'utf8').split('\n') : [];
      if (!confirmed.includes(name)) {
        const ok = await env.ui.confirm({
          message: env.t('backends.context.confirm', { name }),
          initial: env.yes,
        });
        if (!ok)
          throw new UserError(
            env.t('backends.context.declined', { name }),
            env.t('backends.context.declined.fix'),
          );
        if (!env.runner.dryRun) {
          mkdirSync(join(env.workspace, '.k8s-learn'), { recursive: true });
          writeFileSync(marker, [...confirmed.filter(Boolean), name, ''].join('\n'));
        }
      }
      return target;
    },
    async loadImage(env, image) {
      env.ui.warn(env.t('backends.context.loadImage', { image, name }));
    },
    async remove(env) {
      env.ui.info(env.t('backends.context.noRemove', { name }));
      return false;
    },
  };
}
