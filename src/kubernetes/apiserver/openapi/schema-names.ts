/**
 * Component names as the real API server writes them: the Go package path, reversed
 * domain first (`io.k8s.api.core.v1.Pod`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`).
 * Clients match on them (kubectl explain prints the last segment as a field's type) and
 * people read them in error messages, so they are the upstream names, not ours.
 */

/** Our descriptor package keys whose Go package is not `k8s.io/api/<group>/<version>`. */
const goPackages: Readonly<Record<string, string>> = {
  'meta.v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  resource: 'io.k8s.apimachinery.pkg.api.resource',
  intstr: 'io.k8s.apimachinery.pkg.util.intstr',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  'apiextensions.v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
  'metrics.v1beta1': 'io.k8s.metrics.pkg.apis.metrics.v1beta1',
};

/** `core.v1.Pod` → `io.k8s.api.core.v1.Pod`. */
export function componentName(qualifiedMessage: string): string {
  const dot = qualifiedMessage.lastIndexOf('.');
  const pkg = qualifiedMessage.slice(0, dot);
  const name = qualifiedMessage.slice(dot + 1);
  return `${goPackages[pkg] ?? `io.k8s.api.${pkg}`}.${name}`;
}
