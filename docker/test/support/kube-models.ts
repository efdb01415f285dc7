import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import ts from 'typescript';

/** The kubernetes-models class and its module, by `apiVersion/kind`, for every kind docker/kubernetes uses. */
const MODELS = {
  'v1/Namespace': { model: Namespace, module: 'kubernetes-models/v1/Namespace' },
  'v1/ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap' },
  'v1/Secret': { model: Secret, module: 'kubernetes-models/v1/Secret' },
  'v1/PersistentVolumeClaim': {
    model: PersistentVolumeClaim,
    module: 'kubernetes-models/v1/PersistentVolumeClaim',
  },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1/Service' },
  'apps/v1/Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment' },
  'networking.k8s.io/v1/Ingress': {
    model: Ingress,
    module: 'kubernetes-models/networking.k8s.io/v1/Ingress',
  },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
  },
} as const;

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

function modelOf(doc: Manifest) {
  const entry = MODELS[`${doc.apiVersion}/${doc.kind}` as keyof typeof MODELS];
  if (!entry) throw new Error(`no Kubernetes model for ${doc.apiVersion} ${doc.kind}`);
  return entry;
}

/** The Kubernetes OpenAPI schema of the kind (kubernetes-models' validate()); throws what is wrong. */
export function validateManifest(doc: Manifest): void {
  const { model } = modelOf(doc);
  new (model as new (data: unknown) => { validate(): void })(doc).validate();
}

/**
 * Fields the Kubernetes API does not define. The schemas above allow unknown keys (as the API's
 * OpenAPI does), but `kubectl apply` validates fields strictly, so a misspelt `replica:` must fail
 * here too: each manifest is type-checked, as an object literal, against kubernetes-models' interface
 * for its kind, and TypeScript's excess-property check names every unknown field.
 */
export function unknownFields(docs: { file: string; doc: Manifest }[]): string[] {
  const dir = path.resolve(import.meta.dirname, '..');
  const virtual = path.join(dir, '__manifests__.ts');
  const source = docs
    .map(({ file, doc }, i) => {
      const { module } = modelOf(doc);
      const name = `I${doc.kind}`;
      return `import type { ${name} as T${i} } from '${module}';\n// ${file}\nexport const m${i}: T${i} = ${JSON.stringify(doc, null, 1)};`;
    })
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => f === virtual || ts.sys.fileExists(f);
  host.readFile = (f) => (f === virtual ? source : readFile(f));
  host.getSourceFile = (f, language, ...rest) =>
    f === virtual ? ts.createSourceFile(f, source, language) : getSourceFile(f, language, ...rest);
  const program = ts.createProgram([virtual], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    const manifest = where
      ? /\/\/ (\S+)/.exec(
          source
            .split('\n')
            .slice(0, where.line)
            .reverse()
            .find((l) => l.startsWith('// ')) ?? '',
        )?.[1]
      : null;
    return `${manifest ?? '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
