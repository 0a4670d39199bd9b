// Name validators with the API server's own wording (k8s.io/apimachinery/pkg/util/validation), so a
// learner who later meets the real error recognizes it. Each returns the list of messages (empty: ok).

/** regexError formats a message as apimachinery's RegexError does (note its double space). */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    out += `${i > 0 ? ' or ' : ''}'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

/** maxLenError is apimachinery's MaxLenError. */
function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

const labelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const subdomainFmt = `${labelFmt}(\\.${labelFmt})*`;
const dns1035Fmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const configKeyFmt = '[-._a-zA-Z0-9]+';

const full = (fmt: string) => new RegExp(`^${fmt}$`);
const labelRe = full(labelFmt);
const subdomainRe = full(subdomainFmt);
const dns1035Re = full(dns1035Fmt);
const qualifiedNameRe = full(qualifiedNameFmt);
const labelValueRe = full(labelValueFmt);
const configKeyRe = full(configKeyFmt);

const envVarFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarRe = full(envVarFmt);

/** isEnvVarName: container environment variable names. */
export function isEnvVarName(v: string): string[] {
  if (envVarRe.test(v)) return [];
  return [
    regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      envVarFmt,
      'my.env-name',
      'MY_ENV.NAME',
      'MyEnvName1',
    ),
  ];
}

/** NameKind names a validator: which rule a field's value must follow. */
export type NameKind =
  | 'subdomain'
  | 'label'
  | 'dns1035'
  | 'label-key'
  | 'label-value'
  | 'config-key'
  | 'port-name';

/** isDNS1123Label: namespaces, container, volume and service port names. */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!labelRe.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        labelFmt,
        'my-name',
        '123-abc',
      ),
    );
  return errs;
}

/** isDNS1123Subdomain: most object names (ConfigMap, Deployment, Secret, …). */
export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!subdomainRe.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        subdomainFmt,
        'example.com',
      ),
    );
  return errs;
}

/** isDNS1035Label: Service names (they become DNS names and environment variable prefixes). */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!dns1035Re.test(v))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035Fmt,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

/** isQualifiedName: label and annotation keys, `[prefix/]name`. */
export function isQualifiedName(v: string): string[] {
  const parts = v.split('/');
  let name = v;
  const errs: string[] = [];
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) errs.push(`prefix part ${'must be non-empty'}`);
    else for (const e of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${e}`);
  } else if (parts.length > 2) {
    return [
      `${regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        qualifiedNameFmt,
        'MyName',
        'my.name',
        '123-abc',
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (name.length > 0 && !qualifiedNameRe.test(name))
    errs.push(
      regexError(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        qualifiedNameFmt,
        'MyName',
        'my.name',
        '123-abc',
      ),
    );
  return errs;
}

/** isValidLabelValue: label values and selector values. */
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(v))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValueFmt,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

/** isConfigMapKey: keys of ConfigMap and Secret data. */
export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!configKeyRe.test(v))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        configKeyFmt,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** isValidPortName: container port names and named target ports (IANA_SVC_NAME). */
export function isValidPortName(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(v))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(v)) errs.push('must contain at least one letter (a-z)');
  if (v.includes('--')) errs.push('must not contain consecutive hyphens');
  if (v.startsWith('-') || v.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** validators maps each NameKind to its validator. */
export const validators: Record<NameKind, (v: string) => string[]> = {
  subdomain: isDNS1123Subdomain,
  label: isDNS1123Label,
  dns1035: isDNS1035Label,
  'label-key': isQualifiedName,
  'label-value': isValidLabelValue,
  'config-key': isConfigMapKey,
  'port-name': isValidPortName,
};

/** suggestName turns `configMap` or `My_App` into a valid lowercase name (`config-map`, `my-app`). */
export function suggestName(v: string, allowDots: boolean): string {
  const out = v
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(allowDots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return out || 'my-name';
}
