/** Cluster PKI: CA, serving and client certificates, and the kubeconfig that uses them. */
export { ensureClusterPki, adminUser, adminGroup, type ClusterPki, type PkiOptions } from './cluster-pki.js';
export { createCertificateAuthority, issueCertificate, loadCertificateAuthority, type CertificateAuthority, type KeyPairPem } from './certificates.js';
export { writeKubeconfig, kubeconfigYaml, type KubeconfigOptions } from './kubeconfig.js';
