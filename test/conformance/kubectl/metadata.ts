// kubectl label and annotate: add, refuse to overwrite without --overwrite, overwrite,
// remove, and label many objects at once.
import { NS, type Area } from './step.js';

export const metadata: Area = {
  name: 'label-annotate',
  steps: [
    { id: 'label', args: ['label', 'configmap', 'app-config', '-n', NS, 'team=payments'], expect: { stdout: [/^configmap\/app-config labeled$/m] } },
    {
      id: 'label-without-overwrite',
      args: ['label', 'configmap', 'app-config', '-n', NS, 'team=search'],
      expect: { code: 1, stderr: [/'team' already has a value \(payments\), and --overwrite is false/] },
    },
    { id: 'label-overwrite', args: ['label', 'configmap', 'app-config', '-n', NS, 'team=search', '--overwrite'], expect: { stdout: [/^configmap\/app-config labeled$/m] } },
    { id: 'label-read-back', args: ['get', 'configmap', 'app-config', '-n', NS, '-o', 'jsonpath={.metadata.labels.team}'], expect: { stdout: [/^search$/] } },
    { id: 'label-remove', args: ['label', 'configmap', 'app-config', '-n', NS, 'team-'], expect: { stdout: [/^configmap\/app-config unlabeled$/m] } },
    {
      id: 'label-removed',
      args: ['get', 'configmap', 'app-config', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'metadata.labels.team', exists: false }] },
    },
    {
      id: 'label-all',
      args: ['label', 'configmaps', '-n', NS, '--all', 'stage=test'],
      expect: { stdout: [/^configmap\/app-config labeled$/m, /^configmap\/settings labeled$/m] },
    },
    { id: 'label-all-selects', args: ['get', 'configmaps', '-n', NS, '-l', 'stage=test,tier=backend', '-o', 'name'], expect: { stdout: [/^configmap\/settings\n$/] } },
    {
      id: 'label-invalid-value',
      args: ['label', 'configmap', 'app-config', '-n', NS, 'bad=-not valid-'],
      expect: { code: 1, stderr: [/invalid label value/] },
    },
    { id: 'annotate', args: ['annotate', 'configmap', 'app-config', '-n', NS, 'owner=alice'], expect: { stdout: [/^configmap\/app-config annotated$/m] } },
    { id: 'annotate-read-back', args: ['get', 'configmap', 'app-config', '-n', NS, '-o', 'jsonpath={.metadata.annotations.owner}'], expect: { stdout: [/^alice$/] } },
    {
      id: 'annotate-without-overwrite',
      args: ['annotate', 'configmap', 'app-config', '-n', NS, 'owner=bob'],
      expect: { code: 1, stderr: [/--overwrite is false/, /'owner' already has a value \(alice\)/] },
    },
    { id: 'annotate-remove', args: ['annotate', 'configmap', 'app-config', '-n', NS, 'owner-'], expect: { stdout: [/^configmap\/app-config annotated$/m] } },
    {
      id: 'annotate-removed',
      args: ['get', 'configmap', 'app-config', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'metadata.annotations.owner', exists: false }] },
    },
  ],
};
