import fs from 'node:fs';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, readRuntimeStage } from '../src/dockerfile-stages.js';
import { type Manifest, unknownFields, validateManifest } from './support/kube-models.js';
import { PLAIN_SETTINGS, SECRET_SETTINGS } from './support/ui-settings.js';

const KUBE_DIR = path.join(REPO_ROOT, 'docker', 'kubernetes');
const image = readRuntimeStage();
const [uid, gid] = image.user.split(':').map(Number);

/** Shows the Secret's shape; applying it would overwrite the real one, so kustomize must not list it. */
const NOT_APPLIED = ['secret.example.yaml'];

/**
 * Settings a cluster does not configure through the ConfigMap, each with the reason. Anything else
 * core defines (packages/core/src/settings/ui-settings.ts) must be in the ConfigMap, set or commented.
 */
const NOT_IN_CONFIGMAP: Record<string, string> = {
  // The image sets both (ENV); the containerPort, the probes and the Service's target are 5000.
  'ui.bind_host': 'fixed by the image',
  'ui.bind_port': 'fixed by the image',
};
/** ConfigMap keys that are not ui.* settings but that the UI reads. */
const OTHER_VARIABLES = ['MELTANO_CLI_LOG_LEVEL'];

const files = fs
  .readdirSync(KUBE_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const manifests = files
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((file) =>
    parseAllDocuments(fs.readFileSync(path.join(KUBE_DIR, file), 'utf8')).map((d) => {
      expect(d.errors, file).toEqual([]);
      return { file, doc: d.toJS() as Manifest };
    }),
  );
const kustomization = parseAllDocuments(
  fs.readFileSync(path.join(KUBE_DIR, 'kustomization.yaml'), 'utf8'),
)[0]?.toJS();

/** The one manifest of a kind, typed as kubernetes-models' interface (validated by the first test). */
function one<T>(kind: string): T & { metadata: Manifest['metadata'] } {
  const found = manifests.filter((m) => m.doc.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.map((m) => m.file)}`);
  return found[0]?.doc as never;
}

function defined<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

const deployment = one<IDeployment>('Deployment');
const deploymentSpec = defined(deployment.spec, 'Deployment spec');
const podLabels = defined(deploymentSpec.template.metadata?.labels, 'pod labels');
const pod = defined(deploymentSpec.template.spec, 'pod spec');
const container = defined(pod.containers[0], 'container');
const configMap = one<IConfigMap>('ConfigMap');
const configData = defined(configMap.data, 'ConfigMap data');
const secret = one<ISecret>('Secret');
const secretData = defined(secret.stringData, 'Secret stringData');
const service = one<IService>('Service');
const ingress = one<IIngress>('Ingress');
const pvc = one<IPersistentVolumeClaim>('PersistentVolumeClaim');
const configMapFile = manifests.find((m) => m.doc.kind === 'ConfigMap')?.file ?? '';
const configMapText = fs.readFileSync(path.join(KUBE_DIR, configMapFile), 'utf8');
/** Keys written as `# KEY: value`: optional settings, listed but unset so meltano.yml still decides. */
const commentedKeys = [...configMapText.matchAll(/^\s*#\s*(MELTANO_[A-Z0-9_]+):/gm)].map((m) => m[1] ?? '');

describe('docker/kubernetes', () => {
  it('every manifest is valid against the Kubernetes schema of its kind', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(8);
    for (const { file, doc } of manifests) {
      expect(() => validateManifest(doc), `${file} ${doc.kind}`).not.toThrow();
    }
  });

  it('no manifest has a field the Kubernetes API does not define', () => {
    expect(unknownFields(manifests)).toEqual([]);
  });

  it('the checks have teeth: a wrong type, a missing port and a misspelt field are caught', () => {
    const edited = (edit: (doc: IDeployment & { spec: Record<string, unknown> }) => void) => {
      const copy = structuredClone(deployment) as never as IDeployment & { spec: Record<string, unknown> };
      edit(copy);
      return copy as never as Manifest;
    };
    expect(() => validateManifest(edited((d) => Object.assign(d.spec, { replicas: '2' })))).toThrow(
      /replicas must be integer/,
    );
    const noPort = edited((d) => {
      const probe = d.spec.template?.spec?.containers[0]?.readinessProbe?.httpGet as { port?: unknown };
      delete probe.port;
    });
    expect(() => validateManifest(noPort)).toThrow(/must have required property '?port'?/);
    const misspelt = edited((d) => Object.assign(d.spec, { replica: 2 }));
    expect(unknownFields([{ file: 'misspelt.yaml', doc: misspelt }]).join('\n')).toMatch(
      /misspelt\.yaml: .*'"replica"' does not exist/,
    );
  });

  it('kustomization.yaml lists every manifest but the example Secret, and only files that exist', () => {
    expect(kustomization).toMatchObject({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
    });
    const applied = files.filter((f) => f !== 'kustomization.yaml' && !NOT_APPLIED.includes(f));
    expect([...kustomization.resources].sort()).toEqual(applied);
    const namespace = one<object>('Namespace').metadata.name;
    expect(kustomization.namespace).toBe(namespace);
    // The example Secret, applied by hand, names the namespace itself.
    expect(secret.metadata).toMatchObject({ name: 'meltano-ui-secrets', namespace });
  });

  it('runs 2 replicas of the image, probed on /api/v1/ready and /api/v1/health', () => {
    expect(deploymentSpec.replicas).toBe(2);
    expect(container.ports).toEqual([{ name: 'http', containerPort: Number(image.exposed[0]) }]);
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/api/v1/ready', port: 'http' });
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/api/v1/health', port: 'http' });
    // The UI answers only ui.server_name (404 for the pod IP the kubelet sends) except on /api/v1/health.
    expect(container.readinessProbe?.httpGet?.httpHeaders).toEqual([
      { name: 'Host', value: configData.MELTANO_UI_SERVER_NAME },
    ]);
    expect(deploymentSpec.selector.matchLabels).toEqual(podLabels);
    expect(one<IPodDisruptionBudget>('PodDisruptionBudget').spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: podLabels },
    });
  });

  it('runs as the image user, non-root, on a read-only root filesystem, with resources set', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      fsGroup: gid,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources?.limits?.memory).toEqual(expect.any(String));
  });

  it('gives the server writable /tmp and the logs volume at the path the image reads them from', () => {
    const volumeFor = (mountPath: string) => {
      const mount = container.volumeMounts?.find((m) => m.mountPath === mountPath);
      return pod.volumes?.find((v) => v.name === mount?.name);
    };
    expect(volumeFor('/tmp')).toEqual({ name: 'tmp', emptyDir: {} });
    const logsDir = defined(image.env.MELTANO_UI_LOGS_DIR, 'MELTANO_UI_LOGS_DIR');
    expect(configData.MELTANO_UI_LOGS_DIR).toBe(logsDir);
    expect(volumeFor(logsDir)?.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);
    // Pipeline pods write the same volume from other nodes.
    expect(pvc.spec?.accessModes).toEqual(['ReadWriteMany']);
    expect(pvc.spec?.resources?.requests?.storage).toMatch(/^\d+Gi$/);
  });

  it('exposes the pods through a Service and a TLS Ingress with SSE-friendly ingress-nginx settings', () => {
    expect(service.spec?.selector).toEqual(podLabels);
    expect(service.spec?.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    const host = configData.MELTANO_UI_SERVER_NAME;
    expect(ingress.spec?.ingressClassName).toBe('nginx');
    expect(ingress.spec?.tls).toEqual([{ hosts: [host], secretName: expect.any(String) }]);
    expect(ingress.spec?.rules?.map((r) => r.host)).toEqual([host]);
    expect(ingress.spec?.rules?.[0]?.http?.paths).toEqual([
      {
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: service.metadata.name, port: { name: 'http' } } },
      },
    ]);
    const annotations = ingress.metadata.annotations ?? {};
    expect(annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(
      3600,
    );
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(
      3600,
    );
    expect(annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
  });

  it('reads every secret setting from the Secret, and nothing else from it', () => {
    const fromSecret = new Map(
      (container.env ?? []).flatMap((e) =>
        e.valueFrom?.secretKeyRef ? [[e.name, e.valueFrom.secretKeyRef]] : [],
      ) as [string, { name?: string; key: string; optional?: boolean }][],
    );
    expect([...fromSecret.keys()].sort()).toEqual(SECRET_SETTINGS.map((s) => s.envVar).sort());
    for (const [name, ref] of fromSecret) {
      expect(ref.name, name).toBe(secret.metadata.name);
      expect(ref.key, name).toBe(name);
      expect(Object.keys(secretData), name).toContain(name);
    }
    // The optional one: only an import from an old Meltano UI sets it.
    expect(fromSecret.get('MELTANO_UI_LEGACY_PASSWORD_SALT')?.optional).toBe(true);
    for (const [key, value] of Object.entries(secretData)) {
      if (key !== 'MELTANO_DATABASE_URI') expect(value, `${key} must be empty in the example`).toBe('');
    }
  });

  it('the ConfigMap names every other setting core defines (set, or commented out), and only those', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    const named = [...Object.keys(configData), ...commentedKeys];
    const expected = PLAIN_SETTINGS.filter((s) => !(s.name in NOT_IN_CONFIGMAP));
    const missing = expected.filter((s) => !named.includes(s.envVar)).map((s) => `${s.name} (${s.envVar})`);
    expect(missing, 'add these settings to docker/kubernetes/configmap.yaml').toEqual([]);
    const known = [...expected.map((s) => s.envVar), ...OTHER_VARIABLES];
    expect(named.filter((k) => !known.includes(k))).toEqual([]);
    expect(new Set(named).size).toBe(named.length);
    // Secrets never sit in the ConfigMap.
    for (const { envVar } of SECRET_SETTINGS) expect(named).not.toContain(envVar);
    expect(configData).toMatchObject({
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_PROJECT_READONLY: 'true',
    });
  });
});
