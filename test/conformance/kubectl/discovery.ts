// api-resources, api-versions and explain: discovery and the OpenAPI v3 documents.
import type { Area } from './step.js';

export const discovery: Area = {
  name: 'discovery',
  steps: [
    {
      id: 'api-resources',
      args: ['api-resources'],
      expect: {
        stdout: [
          /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m,
          /^pods\s+po\s+v1\s+true\s+Pod$/m,
          /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m,
          /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m,
          /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
        ],
      },
    },
    {
      id: 'api-resources-cluster-scoped-names',
      args: ['api-resources', '--namespaced=false', '-o', 'name'],
      expect: { stdout: [/^namespaces$/m, /^nodes$/m, /^clusterroles\.rbac\.authorization\.k8s\.io$/m], notStdout: [/^pods$/m] },
    },
    {
      id: 'api-resources-wide-verbs',
      args: ['api-resources', '--api-group=apps', '-o', 'wide'],
      expect: { stdout: [/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\s+VERBS\s+CATEGORIES$/m, /^deployments\s.*\screate,delete,deletecollection,get,list,patch,update,watch\s+all$/m] },
    },
    {
      id: 'api-versions',
      args: ['api-versions'],
      expect: { stdout: [/^v1$/m, /^apps\/v1$/m, /^rbac\.authorization\.k8s\.io\/v1$/m, /^autoscaling\/v2$/m] },
    },
    {
      id: 'explain-kind',
      args: ['explain', 'pods'],
      expect: { stdout: [/^KIND:\s+Pod$/m, /^VERSION:\s+v1$/m, /^FIELDS:$/m, /^ {2}spec\s+<PodSpec>$/m] },
    },
    {
      id: 'explain-field',
      args: ['explain', 'deployment.spec.strategy'],
      expect: { stdout: [/^GROUP:\s+apps$/m, /^KIND:\s+Deployment$/m, /^FIELD:\s+strategy <DeploymentStrategy>$/m, /rollingUpdate\s+<RollingUpdateDeployment>/] },
    },
    {
      id: 'explain-recursive',
      args: ['explain', 'configmap', '--recursive'],
      expect: { stdout: [/^KIND:\s+ConfigMap$/m, /^ {2}binaryData\s+<map\[string\]string>$/m, /^ {4}ownerReferences\s+<\[\]OwnerReference>$/m] },
    },
    {
      id: 'explain-unknown-field',
      args: ['explain', 'pods.spec.nosuchfield'],
      expect: { code: 1, stderr: [/field "nosuchfield" does not exist/] },
    },
  ],
};
