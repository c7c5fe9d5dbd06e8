// networking.k8s.io/v1 message layouts. Field numbers: generated.proto of k8s.io/api networking/v1 at v0.35;
// JSON names, pointers, omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const networkingV1: PackageTable = {
  package: 'networking.v1',
  groupVersion: 'networking.k8s.io/v1',
  kinds: ['Ingress', 'NetworkPolicy', 'IngressClass'],
  messages: {
    HTTPIngressPath: '1 path s?, 3 pathType s*, 2 backend @IngressBackend',
    HTTPIngressRuleValue: '1 paths []@HTTPIngressPath',
    IPBlock: '1 cidr s, 2 except []s?',
    Ingress: '1 metadata @meta.v1.ObjectMeta?, 2 spec @IngressSpec?, 3 status @IngressStatus?',
    IngressBackend: '4 service @IngressServiceBackend*?, 3 resource @core.v1.TypedLocalObjectReference*?',
    IngressClass: '1 metadata @meta.v1.ObjectMeta?, 2 spec @IngressClassSpec?',
    IngressClassParametersReference: '1 apiGroup s*?, 2 kind s, 3 name s, 4 scope s*, 5 namespace s*?',
    IngressClassSpec: '1 controller s?, 2 parameters @IngressClassParametersReference*?',
    IngressLoadBalancerIngress: '1 ip s?, 2 hostname s?, 4 ports []@IngressPortStatus?',
    IngressLoadBalancerStatus: '1 ingress []@IngressLoadBalancerIngress?',
    IngressPortStatus: '1 port i, 2 protocol s, 3 error s*?',
    IngressRule: '1 host s?, 2 - @IngressRuleValue^',
    IngressRuleValue: '1 http @HTTPIngressRuleValue*?',
    IngressServiceBackend: '1 name s, 2 port @ServiceBackendPort?',
    IngressSpec:
      '4 ingressClassName s*?, 1 defaultBackend @IngressBackend*?, 2 tls []@IngressTLS?, '
      + '3 rules []@IngressRule?',
    IngressStatus: '1 loadBalancer @IngressLoadBalancerStatus?',
    IngressTLS: '1 hosts []s?, 2 secretName s?',
    NetworkPolicy: '1 metadata @meta.v1.ObjectMeta?, 2 spec @NetworkPolicySpec?',
    NetworkPolicyEgressRule: '1 ports []@NetworkPolicyPort?, 2 to []@NetworkPolicyPeer?',
    NetworkPolicyIngressRule: '1 ports []@NetworkPolicyPort?, 2 from []@NetworkPolicyPeer?',
    NetworkPolicyPeer:
      '1 podSelector @meta.v1.LabelSelector*?, 2 namespaceSelector @meta.v1.LabelSelector*?, '
      + '3 ipBlock @IPBlock*?',
    NetworkPolicyPort: '1 protocol s*?, 2 port @intstr.IntOrString*?, 3 endPort i*?',
    NetworkPolicySpec:
      '1 podSelector @meta.v1.LabelSelector, 2 ingress []@NetworkPolicyIngressRule?, '
      + '3 egress []@NetworkPolicyEgressRule?, 4 policyTypes []s?',
    ServiceBackendPort: '1 name s?, 2 number i?',
  },
};
