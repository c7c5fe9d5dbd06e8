// coordination.k8s.io/v1 message layouts.
// Field numbers: generated.proto of k8s.io/api coordination/v1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const coordinationV1: PackageTable = {
  package: 'coordination.v1',
  groupVersion: 'coordination.k8s.io/v1',
  kinds: ['Lease'],
  messages: {
    Lease: '1 metadata @meta.v1.ObjectMeta?, 2 spec @LeaseSpec?',
    LeaseSpec:
      '1 holderIdentity s*?, 2 leaseDurationSeconds i*?, 3 acquireTime @meta.v1.MicroTime*?, '
      + '4 renewTime @meta.v1.MicroTime*?, 5 leaseTransitions i*?, 6 strategy s*?, '
      + '7 preferredHolder s*?',
  },
};
