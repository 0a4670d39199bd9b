// Service IP and port allocation: clusterIP from 10.96.0.0/12 (10.96.0.1 is the `kubernetes`
// Service), NodePorts from 30000-32767; a requested one already taken is a 422.
import type { ObjectStore } from '../store.js';
import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';
import type { FieldErrors } from './field-errors.js';

const BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const SIZE = 1 << 20; // /12

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function usedBy(store: ObjectStore, self: KubeObject): { ips: Set<string>; nodePorts: Set<number> } {
  const ips = new Set<string>();
  const nodePorts = new Set<number>();
  for (const svc of store.list('services').items) {
    if (svc.metadata.uid === self.metadata.uid && self.metadata.uid) continue;
    const spec = (svc.spec ?? {}) as JsonObject;
    if (typeof spec.clusterIP === 'string') ips.add(spec.clusterIP);
    for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
      if (isJsonObject(p) && typeof p.nodePort === 'number') nodePorts.add(p.nodePort);
    }
  }
  return { ips, nodePorts };
}

/** allocateService fills clusterIP(s) and NodePorts, reporting bad or taken values in errs. */
export function allocateService(
  store: ObjectStore,
  svc: KubeObject,
  old: KubeObject | undefined,
  errs: FieldErrors,
): void {
  const spec = (svc.spec ?? {}) as JsonObject;
  const oldSpec = (old?.spec ?? {}) as JsonObject;
  const { ips, nodePorts } = usedBy(store, svc);
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (!spec.clusterIP && oldSpec.clusterIP) {
    spec.clusterIP = oldSpec.clusterIP;
  } else if (!spec.clusterIP) {
    let n = BASE + 10 + Math.floor(Math.random() * (SIZE - 20));
    while (ips.has(intToIp(n))) n = BASE + 10 + ((n - BASE + 1) % (SIZE - 20));
    spec.clusterIP = intToIp(n);
  } else if (spec.clusterIP !== 'None' && spec.clusterIP !== oldSpec.clusterIP) {
    const n = ipToInt(String(spec.clusterIP));
    if (n === undefined) {
      errs.invalid(
        'spec.clusterIPs[0]',
        spec.clusterIP,
        'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      );
    } else if (n < BASE || n >= BASE + SIZE) {
      errs.invalid(
        'spec.clusterIPs',
        [spec.clusterIP],
        'failed to allocate IP ' +
          `${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
      );
    } else if (ips.has(String(spec.clusterIP))) {
      errs.invalid(
        'spec.clusterIPs',
        [spec.clusterIP],
        `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
      );
    }
  }
  if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  const ports = Array.isArray(spec.ports) ? (spec.ports as JsonObject[]) : [];
  const oldPorts = Array.isArray(oldSpec.ports) ? (oldSpec.ports as JsonObject[]) : [];
  ports.forEach((p, i) => {
    if (!isJsonObject(p)) return;
    const previous = oldPorts.find((o) => o.port === p.port)?.nodePort;
    if (p.nodePort === undefined || p.nodePort === 0) {
      if (typeof previous === 'number') p.nodePort = previous;
      else {
        let n = 30000 + Math.floor(Math.random() * 2768);
        while (nodePorts.has(n)) n = 30000 + ((n - 30000 + 1) % 2768);
        p.nodePort = n;
      }
    } else if (p.nodePort !== previous) {
      const n = Number(p.nodePort);
      if (n < 30000 || n > 32767) {
        errs.invalid(
          `spec.ports[${i}].nodePort`,
          n,
          'provided port is not in the valid range. The range of valid ports is 30000-32767',
        );
      } else if (nodePorts.has(n))
        errs.invalid(`spec.ports[${i}].nodePort`, n, 'provided port is already allocated');
    }
    nodePorts.add(Number(p.nodePort));
  });
}
