// kubectl auth (can-i, whoami) through SelfSubjectAccessReview, SelfSubjectRulesReview and
// SelfSubjectReview; RBAC as another user via impersonation; a service account token.
import { NS, type Area } from './step.js';

const asBuilder = `--as=system:serviceaccount:${NS}:builder`;

export const auth: Area = {
  name: 'auth',
  steps: [
    { id: 'can-i-admin', args: ['auth', 'can-i', 'create', 'deployments', '-n', NS], expect: { stdout: [/^yes$/m] } },
    { id: 'can-i-everything', args: ['auth', 'can-i', '*', '*'], expect: { stdout: [/^yes$/m] } },
    { id: 'can-i-subresource', args: ['auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', NS], expect: { stdout: [/^yes$/m] } },
    {
      id: 'can-i-list',
      args: ['auth', 'can-i', '--list', '-n', NS],
      expect: { stdout: [/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m] },
    },
    { id: 'whoami', args: ['auth', 'whoami'], expect: { stdout: [/^ATTRIBUTE\s+VALUE$/m, /^Groups\s+\[.*system:masters.*\]$/m] } },
    {
      id: 'role',
      args: ['create', 'role', 'cm-reader', '-n', NS, '--verb=get,list,watch', '--resource=configmaps'],
      expect: { stdout: [/^role\.rbac\.authorization\.k8s\.io\/cm-reader created$/m] },
    },
    {
      id: 'rolebinding',
      args: ['create', 'rolebinding', 'builder-reads', '-n', NS, '--role=cm-reader', `--serviceaccount=${NS}:builder`],
      expect: { stdout: [/^rolebinding\.rbac\.authorization\.k8s\.io\/builder-reads created$/m] },
    },
    { id: 'can-i-as-allowed', args: ['auth', 'can-i', 'list', 'configmaps', '-n', NS, asBuilder], expect: { stdout: [/^yes$/m] } },
    { id: 'can-i-as-denied', args: ['auth', 'can-i', 'delete', 'configmaps', '-n', NS, asBuilder], expect: { code: 1, stdout: [/^no$/m] } },
    { id: 'can-i-as-other-namespace', args: ['auth', 'can-i', 'list', 'configmaps', '-n', 'default', asBuilder], expect: { code: 1, stdout: [/^no$/m] } },
    { id: 'impersonated-get', args: ['get', 'configmap', 'settings', '-n', NS, asBuilder, '-o', 'name'], expect: { stdout: [/^configmap\/settings$/m] } },
    {
      id: 'impersonated-forbidden',
      args: ['delete', 'configmap', 'settings', '-n', NS, asBuilder],
      expect: { code: 1, stderr: [/^Error from server \(Forbidden\): configmaps "settings" is forbidden: User "system:serviceaccount:conformance:builder" cannot delete resource "configmaps" in API group "" in the namespace "conformance"$/m] },
    },
    { id: 'token', args: ['create', 'token', 'builder', '-n', NS, '--duration=10m'], expect: { stdout: [/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/m] } },
    {
      id: 'reconcile',
      args: ['auth', 'reconcile', '-f', '-'],
      stdin: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-reader, namespace: ${NS}}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}
- {apiGroups: [""], resources: [secrets], verbs: [get]}
`,
      expect: { stdout: [/role\.rbac\.authorization\.k8s\.io\/cm-reader reconciled/] },
    },
  ],
};
