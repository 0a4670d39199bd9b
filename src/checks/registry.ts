// Every check type a lesson may use, by name, with its code loaded on first use: verifying a
// step loads the checks it uses, not the manifest checker, the alerts diagnosis and the rest.
// Schemas are compiled at build time (src/course/validator-schemas.ts reads src/checks/all.ts).
import { kubeCheckNames } from './kube/names.js';
import type { CheckType } from './types.js';

const loaders: Record<string, (name: string) => Promise<CheckType<never>>> = {
  command: () => import('./basic.js').then((m) => m.commandCheck as CheckType<never>),
  file: () => import('./basic.js').then((m) => m.fileCheck as CheckType<never>),
  script: () => import('./script.js').then((m) => m.scriptCheck as CheckType<never>),
  manifest: () => import('./manifest.js').then((m) => m.manifestCheck as CheckType<never>),
  ...Object.fromEntries(
    kubeCheckNames.map((n) => [
      n,
      (name: string) =>
        import('./kube/index.js').then(
          (m) => m.kubeCheckTypes.find((c) => c.name === name) as CheckType<never>,
        ),
    ]),
  ),
};

/** checkTypeNames lists the check types known to the engine. */
export const checkTypeNames = Object.keys(loaders);

/**
 * findCheckType returns the check type called `name`: its `run` loads the code on first call.
 * (`schema` is empty here; validation uses the validators built from src/checks/all.ts.)
 */
export function findCheckType(name: string): CheckType<never> | undefined {
  const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined;
  if (!load) return undefined;
  return {
    name,
    schema: {},
    async run(spec, ctx) {
      return (await load(name)).run(spec, ctx);
    },
  };
}
