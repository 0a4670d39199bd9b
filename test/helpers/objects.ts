// Builders of the API objects the cluster-check tests apply (the course's app, port 8080 "http").

/** DeploymentOptions shape one test Deployment; each part is merged into the defaults. */
export interface DeploymentOptions {
  replicas?: number;
  image?: string;
  /** Merged into the one container. */
  container?: Record<string, unknown>;
  /** Merged into the pod spec. */
  pod?: Record<string, unknown>;
  /** Merged into the Deployment spec. */
  spec?: Record<string, unknown>;
  /** Selector and pod labels (default `app: NAME`). */
  labels?: Record<string, string>;
}

/** deploymentObject is a Deployment of the course's app (1 replica unless told). */
export function deploymentObject(ns: string, name: string, o: DeploymentOptions = {}) {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: labels },
      ...(o.spec ?? {}),
      template: {
        metadata: { labels },
        spec: {
          ...(o.pod ?? {}),
          containers: [
            {
              name: 'app',
              image: o.image ?? 'k8s-core:1.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              ...(o.container ?? {}),
            },
          ],
        },
      },
    },
  };
}
