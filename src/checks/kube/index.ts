// The kubectl-based check types, for the engine's check registry (`- type: <name>` in lessons).
// Every one goes through the pinned kubectl module; see docs/backends.md for specs and examples.
// Each spec type is narrower than the registry's generic record: the course loader validates a spec
// against `schema` before `run` sees it, which is what makes the cast below sound.
import type { CheckType } from '../types.js';
import { clusterAnswer } from './answer.js';
import { applyKeeps } from './apply-keeps.js';
import { canI } from './can-i.js';
import { configMapCidrs, configMapJson } from './config.js';
import { hpaReplicas } from './hpa.js';
import { imageOnNodes } from './images.js';
import { jsonPathAtLeast, jsonPathEquals, readyReplicas } from './jsonpath.js';
import { endpointsReady, loadBalanced } from './network.js';
import { noAlerts } from './no-alerts.js';
import { podsOnNode } from './placement.js';
import { portForward, serviceDns } from './reach.js';
import { resourceAbsent, resourceExists } from './resources.js';
import { condition, nodesReady, rollout } from './wait.js';

/** kubeCheckTypes lists every kubectl check type. */
export const kubeCheckTypes: CheckType<never>[] = [
  resourceExists,
  resourceAbsent,
  condition,
  rollout,
  jsonPathEquals,
  jsonPathAtLeast,
  readyReplicas,
  endpointsReady,
  loadBalanced,
  serviceDns,
  portForward,
  nodesReady,
  podsOnNode,
  hpaReplicas,
  configMapJson,
  configMapCidrs,
  noAlerts,
  imageOnNodes,
  canI,
  clusterAnswer,
  applyKeeps,
] as unknown as CheckType<never>[];
