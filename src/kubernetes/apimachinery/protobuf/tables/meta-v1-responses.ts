// meta.k8s.io/v1 messages a response carries (list metadata, Status, watch events);
// no request body is one of them. The rest of meta/v1 is in meta-v1.ts.
// Field numbers: generated.proto of k8s.io/apimachinery pkg/apis/meta/v1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const metaV1Responses: PackageTable = {
  package: 'meta.v1',
  groupVersion: 'meta.k8s.io/v1',
  kinds: [],
  messages: {
    ListMeta: '1 selfLink s?, 2 resourceVersion s?, 3 continue s?, 4 remainingItemCount l*?',
    Status:
      '1 metadata @ListMeta?, 2 status s?, 3 message s?, 4 reason s?, 5 details @StatusDetails*?, '
      + '6 code i?',
    StatusCause: '1 reason s?, 2 message s?, 3 field s?',
    StatusDetails:
      '1 name s?, 2 group s?, 3 kind s?, 6 uid s?, 4 causes []@StatusCause?, 5 retryAfterSeconds i?',
    WatchEvent: '1 type s, 2 object @runtime.RawExtension',
  },
};
