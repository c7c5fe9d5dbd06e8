// apps/v1 ControllerRevision (the rest of apps/v1 is in apps-v1.ts).
// Field numbers: generated.proto of k8s.io/api apps/v1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const appsV1ControllerRevision: PackageTable = {
  package: 'apps.v1',
  groupVersion: 'apps/v1',
  // Not yet a body kind: decode-body.test.ts uses it as its example of a kind without a
  // descriptor. List it here once that test picks another.
  kinds: [],
  messages: {
    ControllerRevision: '1 metadata @meta.v1.ObjectMeta?, 2 data @runtime.RawExtension?, 3 revision l',
  },
};
