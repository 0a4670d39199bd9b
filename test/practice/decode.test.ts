// Request decoding and server-side checks that do not need kubectl: protobuf bodies recorded from
// kubectl 1.32, defaulting rules, ages, and strict/SSA unknown-field paths.
import { describe, expect, it } from 'vitest';
import { apiVersionOf, RESOURCES } from '../../src/practice/resources.js';
import { humanDuration } from '../../src/practice/server/age.js';
import { pullPolicyFor } from '../../src/practice/server/defaults.js';
import { checkFields } from '../../src/practice/server/fields.js';
import { decodeProtobufObject, protoMessageType } from '../../src/practice/server/protobuf.js';
import { encodeProtobufObject } from '../helpers/protobuf-encode.js';

describe('protobuf request bodies', () => {
  it('decodes what kubectl create namespace / configmap / autoscale send', () => {
    const b = (s: string) => Buffer.from(s, 'base64');
    expect(
      decodeProtobufObject(
        b('azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh8KFwoHc2NyYXRjaBIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA=='),
      ),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'scratch' },
    });
    expect(
      decodeProtobufObject(
        b('azhzAAoPCgJ2MRIJQ29uZmlnTWFwEh8KFQoBeBIAGgRkZW1vIgAqADIAOABCABIGCgFhEgFiGgAiAA=='),
      ),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'demo' },
      data: { a: 'b' },
    });
    const hpa = decodeProtobufObject(
      b(
        'azhzAAopCg5hdXRvc2NhbGluZy92MRIXSG9yaXpvbnRhbFBvZEF1dG9zY2FsZXISPwoTCgN3ZWISABoAIgAqADIAOABCABIiChoKCkRlcGxveW1lbnQSA3dlYhoHYXBwcy92MRABGAUgMhoEGAAgABoAIgA=',
      ),
    );
    expect(hpa.spec).toEqual({
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 1,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 50,
    });
  });

  // One table (PROTO_PACKAGES + schema/proto.json) serves every kind; each served kind, and the
  // kinds kubectl posts to subresources and reviews, round-trips through it.
  const SAMPLES: Record<string, Record<string, unknown>> = {
    Role: { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] }] },
    ClusterRole: {
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: 'a' } }] },
    },
    RoleBinding: {
      subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'dev' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    },
    ClusterRoleBinding: {
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    },
    SelfSubjectAccessReview: {
      spec: { resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } },
    },
    SubjectAccessReview: { spec: { user: 'ann', groups: ['devs'], extra: { scopes: ['a', 'b'] } } },
    TokenRequest: { spec: { audiences: ['x'], expirationSeconds: 3600 } },
    ConfigMap: { data: { a: 'b' } },
    // Embedded Go structs (json inline): VolumeSource, IngressRuleValue, ProbeHandler.
    Pod: {
      spec: {
        containers: [{ name: 'c', image: 'nginx', livenessProbe: { httpGet: { path: '/', port: 80 } } }],
        volumes: [{ name: 'v', configMap: { name: 'cfg' } }],
      },
    },
    Ingress: {
      spec: {
        rules: [
          {
            host: 'foo.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
    },
  };
  const kinds = [
    // CRDs come only from files (`apply -f`, JSON); no kubectl generator makes one.
    ...RESOURCES.filter((d) => !d.readOnly && d.group !== 'apiextensions.k8s.io').map((d) => ({
      apiVersion: apiVersionOf(d.group, d.versions[0]!),
      kind: d.kind,
    })),
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' },
    { apiVersion: 'policy/v1', kind: 'Eviction' },
    { apiVersion: 'autoscaling/v1', kind: 'Scale' },
  ];
  it.each(kinds)('decodes $apiVersion $kind', ({ apiVersion, kind }) => {
    const type = protoMessageType(apiVersion, kind);
    expect(type, `${apiVersion} ${kind}`).toBeDefined();
    const obj = { apiVersion, kind, metadata: { name: 'x', labels: { a: 'b' } }, ...SAMPLES[kind] };
    expect(decodeProtobufObject(encodeProtobufObject(obj, type!))).toEqual(obj);
  });

  it('rejects truncated and unknown messages with a 400', () => {
    expect(() => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x10]))).toThrowError(
      /protobuf/,
    );
    expect(() => decodeProtobufObject(Buffer.from('{}'))).toThrowError(/magic/);
  });
});

describe('defaults and printing', () => {
  it('defaults imagePullPolicy from the tag', () => {
    expect(pullPolicyFor('nginx')).toBe('Always');
    expect(pullPolicyFor('k8s-core:latest')).toBe('Always');
    expect(pullPolicyFor('localhost:5000/app')).toBe('Always');
    expect(pullPolicyFor('localhost:5000/app:1.0')).toBe('IfNotPresent');
    expect(pullPolicyFor('nginx@sha256:abc')).toBe('IfNotPresent');
  });

  it('prints ages like kubectl', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(130_000)).toBe('2m10s');
    expect(humanDuration(3 * 3600_000)).toBe('3h');
    expect(humanDuration(50 * 3600_000)).toBe('2d2h');
  });

  it('names unknown fields the strict way and the server-side-apply way', () => {
    const r = checkFields(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {},
        spec: {
          clusterIP: 'None',
          template: { spec: { containers: [{ name: 'c', imagePullPolicyy: 'x' }] } },
        },
      },
      'V1Deployment',
    );
    expect(r.unknown).toEqual(['spec.clusterIP', 'spec.template.spec.containers[0].imagePullPolicyy']);
    expect(r.unknownSsa).toEqual([
      '.spec.clusterIP',
      '.spec.template.spec.containers[name="c"].imagePullPolicyy',
    ]);
    const typed = checkFields({ spec: { replicas: 'three' } }, 'V1Deployment');
    expect(typed.typeErrors).toEqual([
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
  });
});
