// Validators for init's answers. Names are checked as the API server checks them and the message
// quotes its wording (`Invalid value: "My_App": a DNS-1035 label must …`), so the learner meets it
// here first. Each returns undefined when the value is fine, else the message.
import { isDNS1035Label, isDNS1123Label } from '../check/names.js';

function invalid(value: string, errors: string[]): string | undefined {
  return errors.length ? `Invalid value: "${value}": ${errors.join(', ')}` : undefined;
}

/** appName: the app's name becomes a Service name, which must be a DNS-1035 label. */
export function checkAppName(value: string): string | undefined {
  return invalid(value, isDNS1035Label(value));
}

/** namespaceName: namespaces are RFC 1123 labels. */
export function checkNamespace(value: string): string | undefined {
  return invalid(value, isDNS1123Label(value));
}

/** clusterName: kind names its node containers after it; an RFC 1123 label is always accepted. */
export function checkClusterName(value: string): string | undefined {
  return invalid(value, isDNS1123Label(value));
}

function integerIn(value: string, min: number, max: number): boolean {
  return /^\d+$/.test(value.trim()) && Number(value) >= min && Number(value) <= max;
}

/** checkPort: a container port, with the API server's wording. */
export function checkPort(value: string): string | undefined {
  return integerIn(value, 1, 65535)
    ? undefined
    : `Invalid value: "${value}": must be between 1 and 65535, inclusive`;
}

/** checkReplicas: at least one pod (an HPA's minReplicas must be ≥ 1), at most 50 on a laptop. */
export function checkReplicas(value: string): string | undefined {
  return integerIn(value, 1, 50)
    ? undefined
    : `Invalid value: "${value}": must be between 1 and 50, inclusive`;
}
