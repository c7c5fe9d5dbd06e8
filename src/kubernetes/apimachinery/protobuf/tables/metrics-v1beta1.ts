// metrics.k8s.io/v1beta1 message layouts (read-only kinds: no request body carries them).
// Field numbers: generated.proto of k8s.io/metrics pkg/apis/metrics/v1beta1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const metricsV1beta1: PackageTable = {
  package: 'metrics.v1beta1',
  groupVersion: 'metrics.k8s.io/v1beta1',
  kinds: [],
  messages: {
    ContainerMetrics: '1 name s, 2 usage {}@resource.Quantity',
    NodeMetrics:
      '1 metadata @meta.v1.ObjectMeta?, 2 timestamp @meta.v1.Time, 3 window @meta.v1.Duration, '
      + '4 usage {}@resource.Quantity',
    PodMetrics:
      '1 metadata @meta.v1.ObjectMeta?, 2 timestamp @meta.v1.Time, 3 window @meta.v1.Duration, '
      + '4 containers []@ContainerMetrics',
  },
};
