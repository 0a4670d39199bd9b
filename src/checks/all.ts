// Every check type with its schema and code, loaded at once: for the build (which compiles the
// schemas, src/course/validator-schemas.ts) and tests. Commands reach checks through
// src/checks/registry.ts, which loads only the code a step's checks need.
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
