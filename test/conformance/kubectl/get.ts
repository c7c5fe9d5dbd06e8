// kubectl get: table columns (-o wide), yaml, json, jsonpath, label and field selectors,
// all namespaces, --show-labels, --sort-by, and a watch stopped after a few seconds.
import { NS, type Area } from './step.js';

export const get: Area = {
  name: 'get',
  steps: [
    {
      id: 'wide',
      args: ['get', 'deployments', '-n', NS, '-o', 'wide'],
      expect: {
        stdout: [
          /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m,
          /^web\s+\d+\/2\s+\d+\s+\d+\s+\S+\s+nginx\s+nginx:1\.27\s+app=web$/m,
          /^api\s+\d+\/3\s+\d+\s+\d+\s+\S+\s+api\s+registry\.example\/api:1\.1\s+app=api$/m,
        ],
      },
    },
    {
      id: 'services-wide',
      args: ['get', 'services', '-n', NS, '-o', 'wide'],
      expect: { stdout: [/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/m, /^api\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\S+\s+app=api$/m] },
    },
    {
      id: 'yaml',
      args: ['get', 'configmap', 'settings', '-n', NS, '-o', 'yaml'],
      expect: { stdout: [/^apiVersion: v1$/m, /^kind: ConfigMap$/m, /^data:\n {2}color: green$/m, /^ {2}resourceVersion: "\d+"$/m] },
    },
    {
      id: 'json-list',
      args: ['get', 'configmaps', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'kind', equals: 'List' }, { path: 'apiVersion', equals: 'v1' }, { path: 'items.0.kind', equals: 'ConfigMap' }] },
    },
    {
      id: 'jsonpath',
      args: ['get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.color}'],
      expect: { stdout: [/^green$/] },
    },
    {
      id: 'jsonpath-range',
      args: ['get', 'configmaps', '-n', NS, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'],
      expect: { stdout: [/^app-config$/m, /^settings$/m, /^order-a$/m] },
    },
    {
      id: 'label-selector',
      args: ['get', 'configmaps', '-n', NS, '-l', 'tier=backend', '-o', 'name'],
      expect: { stdout: [/^configmap\/settings\n$/] },
    },
    {
      id: 'label-selector-set-based',
      args: ['get', 'deployments,services', '-n', NS, '-l', 'tier in (backend,frontend),app notin (web)', '-o', 'name'],
      expect: { stdout: [/^deployment\.apps\/api\nservice\/api\n$/] },
    },
    {
      id: 'label-selector-no-match',
      args: ['get', 'configmaps', '-n', NS, '-l', 'tier=nowhere'],
      expect: { stderr: [/^No resources found in conformance namespace\.$/m] },
    },
    {
      id: 'field-selector',
      args: ['get', 'configmaps', '-n', NS, '--field-selector', 'metadata.name=settings', '-o', 'name'],
      expect: { stdout: [/^configmap\/settings\n$/] },
    },
    {
      id: 'field-selector-unsupported',
      args: ['get', 'configmaps', '-n', NS, '--field-selector', 'data.color=green'],
      // ConfigMaps take the default field selector conversion and its message.
      expect: { code: 1, stderr: [/^Error from server \(BadRequest\): .*"data\.color" is not a known field selector: only "metadata\.name", "metadata\.namespace"$/m] },
    },
    {
      id: 'all-namespaces',
      args: ['get', 'configmaps', '-A'],
      expect: { stdout: [/^NAMESPACE\s+NAME\s+DATA\s+AGE$/m, /^conformance\s+app-config\s+2\s+\S+$/m, /^conformance\s+settings\s+1\s+\S+$/m] },
    },
    {
      id: 'show-labels',
      args: ['get', 'deployments', '-n', NS, '--show-labels'],
      expect: { stdout: [/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+LABELS$/m, /^api\s.*\sapp=api,tier=backend$/m, /^web\s.*\sapp=web$/m] },
    },
    {
      id: 'sort-by',
      args: ['get', 'configmaps', 'order-a', 'order-b', '-n', NS, '--sort-by', '.data.rank', '-o', 'custom-columns=NAME:.metadata.name,RANK:.data.rank', '--no-headers'],
      expect: { stdout: [/order-b\s+1\s*\n(.*\n)*order-a\s+2/] },
    },
    {
      id: 'watch',
      args: ['get', 'configmaps', '-n', NS, '-w'],
      stopAfterMs: 4_000,
      expect: { stdout: [/^NAME\s+DATA\s+AGE$/m, /^settings\s+1\s+\S+$/m] },
    },
    {
      id: 'not-found',
      args: ['get', 'configmap', 'nope', '-n', NS],
      expect: { code: 1, stderr: [/^Error from server \(NotFound\): configmaps "nope" not found$/m] },
    },
    {
      id: 'chunked-list',
      args: ['get', 'configmaps', '-n', NS, '--chunk-size=1', '-o', 'name'],
      expect: { stdout: [/^configmap\/app-config$/m, /^configmap\/order-a$/m, /^configmap\/order-b$/m, /^configmap\/settings$/m] },
    },
  ],
};
