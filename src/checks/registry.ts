// Every check type a lesson may use, by name. Cluster checks (src/checks/kube) join this list.
import { commandCheck, fileCheck } from './basic.js';
import { kubeCheckTypes } from './kube/index.js';
import { manifestCheck } from './manifest.js';
import { scriptCheck } from './script.js';
import type { CheckType } from './types.js';

/** checkTypes lists the check types known to the engine. */
export const checkTypes: CheckType<never>[] = [
  ...([commandCheck, fileCheck, scriptCheck, manifestCheck] as CheckType<never>[]),
  ...kubeCheckTypes,
];

/** findCheckType returns the check type called `name`. */
export function findCheckType(name: string): CheckType<never> | undefined {
  return checkTypes.find((c) => c.name === name);
}
