// The seam between the API server (part 1) and the controllers that bring objects to life
// (part 2). Controllers watch the store and write objects; subresource handlers answer the
// requests the generic REST code does not (`pods/log`, `services/proxy`, metrics). A plugin
// registers both on one cluster; src/practice/plugins.ts lists the default plugins.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ResourceDef } from './resources.js';
import type { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';

/** InClusterRequest is an HTTP request a pod sends to the API server (kubernetes.default.svc). */
export interface InClusterRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/namespaces/default/secrets`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** InClusterResponse is the API server's answer to an in-cluster request. */
export interface InClusterResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * InClusterApi is the API server as pods see it: the kubelet asks it for the projected
 * ServiceAccount token of a pod, and programs in a container reach it at kubernetes.default.svc.
 */
export interface InClusterApi {
  /** podToken is a token for the pod's ServiceAccount bound to the pod, or undefined without one. */
  podToken(pod: KubeObject, audience: string | undefined, expirationSeconds: number): string | undefined;
  /** request sends a request through the API server's authentication, RBAC and routing. */
  request(req: InClusterRequest): Promise<InClusterResponse>;
  /** caCert is the PEM the API server presents (kube-root-ca.crt). */
  caCert: string;
}

/** ControllerContext is what a controller gets when it starts. */
export interface ControllerContext {
  store: ObjectStore;
  /** Worker node names at start (`--nodes`), control plane first. */
  nodeNames: string[];
  /** The API server as pods reach it (absent in tests that start controllers alone). */
  inCluster?: InClusterApi;
}

/** Controller is a loop beside the API server: start subscribes to the store, stop undoes it. */
export interface Controller {
  name: string;
  start(ctx: ControllerContext): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** SubresourceRequest is a request routed to a subresource handler. */
export interface SubresourceRequest {
  method: string;
  def: ResourceDef;
  version: string;
  namespace?: string;
  name: string;
  subresource: string;
  /** Path after the subresource, e.g. `healthz` for `services/web:80/proxy/healthz`. */
  rest: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  store: ObjectStore;
  /** The raw response, for streaming handlers (`logs -f`). */
  response: ServerResponse;
}

/**
 * SubresourceResult is a finished answer: `body` as JSON (an object) or text, with a status code.
 * Return `undefined` when the handler wrote to `response` itself (streaming).
 */
export interface SubresourceResult {
  status?: number;
  contentType?: string;
  body: unknown;
}

/** SubresourceHandler answers one subresource; throw ApiError for Status failures. */
export type SubresourceHandler = (req: SubresourceRequest) => Promise<SubresourceResult | undefined>;

/** UpgradeTarget is the object an upgrade request (exec, attach, portforward) addresses. */
export interface UpgradeTarget {
  namespace: string;
  name: string;
  query: URLSearchParams;
  store: ObjectStore;
}

/**
 * UpgradeHandler serves a connection-upgrade request (`Upgrade: websocket` or `SPDY/3.1`) on a
 * subresource; it owns the socket from then on, including writing any error response.
 */
export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: UpgradeTarget,
) => void;

/** ExtraGroup is an extra read-only API group version served by handlers (metrics.k8s.io). */
export interface ExtraGroup {
  group: string;
  version: string;
  resources: { resource: string; kind: string; namespaced: boolean; verbs: string[] }[];
  /** Answers GETs under /apis/<group>/<version>/…; `path` is the part after the version. */
  handle: (path: string, query: URLSearchParams, store: ObjectStore) => Promise<SubresourceResult>;
}

/** Extensions is one cluster's registry of controllers, subresource handlers and extra groups. */
export class Extensions {
  readonly controllers: Controller[] = [];
  readonly extraGroups: ExtraGroup[] = [];
  /**
   * Resources whose deletion waits for a controller: a pod bound to a node (spec.nodeName) gets
   * deletionTimestamp and deletionGracePeriodSeconds and stays until that controller (the
   * simulated kubelet) deletes it through the store. Without it, deletes are immediate.
   */
  readonly gracefulDeletion = new Set<string>();
  private readonly subresources = new Map<string, SubresourceHandler>();
  private readonly upgrades = new Map<string, UpgradeHandler>();

  /** registerUpgrade installs the streaming handler for `<resource>/<sub>`, e.g. ('pods', 'exec'). */
  registerUpgrade(resource: string, subresource: string, handler: UpgradeHandler): void {
    this.upgrades.set(`${resource}/${subresource}`, handler);
  }

  /** upgradeHandler finds the streaming handler for `<resource>/<sub>`. */
  upgradeHandler(resource: string, subresource: string): UpgradeHandler | undefined {
    return this.upgrades.get(`${resource}/${subresource}`);
  }

  /** registerSubresource installs the handler for `<resource>/<sub>`, e.g. ('pods', 'log'). */
  registerSubresource(resource: string, subresource: string, handler: SubresourceHandler): void {
    this.subresources.set(`${resource}/${subresource}`, handler);
  }

  /** subresourceHandler finds the handler for `<resource>/<sub>`. */
  subresourceHandler(resource: string, subresource: string): SubresourceHandler | undefined {
    return this.subresources.get(`${resource}/${subresource}`);
  }

  /** addController adds a controller; it starts with the cluster and stops before it. */
  addController(controller: Controller): void {
    this.controllers.push(controller);
  }

  /** addGroup serves an extra API group version (listed in discovery). */
  addGroup(group: ExtraGroup): void {
    this.extraGroups.push(group);
  }
}

/** PracticePlugin installs controllers and handlers on a cluster before it starts serving. */
export type PracticePlugin = (extensions: Extensions) => void;
