// The escape hatch for authors: a zx script decides. See src/script-api.ts for its API.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { resultMarker } from '../script-api-marker.js';
import { lastLines } from './basic.js';
import type { CheckType } from './types.js';

/** scriptCheck runs `<course>/checks/<script>` under zx with the k8s helper preloaded. */
export const scriptCheck: CheckType<{ script: string }> = {
  name: 'script',
  schema: {
    type: 'object',
    required: ['script'],
    additionalProperties: false,
    properties: { script: { type: 'string', minLength: 1 } },
  },
  async run(spec, ctx) {
    const title = ctx.t('check.script.title', { script: spec.script });
    const require = createRequire(join(packageRoot(), 'package.json'));
    const zxCli = join(require.resolve('zx'), '../cli.js');
    const preload = join(packageRoot(), 'dist', 'script-api.js');
    const script = join(ctx.vars.courseDir ?? '', spec.script);
    const result = await ctx.runner.run(process.execPath, ['--import', preload, zxCli, script], {
      cwd: ctx.workspace,
      readOnly: true,
      env: {
        K8S_LEARN_WORKSPACE: ctx.workspace,
        K8S_LEARN_CONTEXT: ctx.cluster?.context ?? '',
        K8S_LEARN_KUBECONFIG: ctx.cluster?.kubeconfig ?? '',
        K8S_LEARN_LANG: ctx.lang,
        K8S_LEARN_VARS: JSON.stringify(ctx.vars),
        FORCE_COLOR: '0',
      },
    });
    if (result.exitCode === 0) return { ok: true, title };
    const line = result.stdout.split('\n').find((l) => l.startsWith(resultMarker));
    if (line) {
      const failure = JSON.parse(line.slice(resultMarker.length)) as Record<string, string>;
      return { ok: false, title, ...failure };
    }
    return {
      ok: false,
      title,
      expected: ctx.t('check.script.expected'),
      saw: ctx.t('check.command.sawExit', {
        code: result.exitCode,
        output: lastLines(result.stderr || result.stdout),
      }),
    };
  },
};
