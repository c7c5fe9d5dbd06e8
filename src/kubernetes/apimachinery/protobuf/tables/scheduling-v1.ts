// scheduling.k8s.io/v1 message layouts. Field numbers: generated.proto of k8s.io/api scheduling/v1 at v0.35;
// JSON names, pointers, omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const schedulingV1: PackageTable = {
  package: 'scheduling.v1',
  groupVersion: 'scheduling.k8s.io/v1',
  kinds: ['PriorityClass'],
  messages: {
    PriorityClass:
      '1 metadata @meta.v1.ObjectMeta?, 2 value i, 3 globalDefault b?, 4 description s?, '
      + '5 preemptionPolicy s*?',
  },
};
