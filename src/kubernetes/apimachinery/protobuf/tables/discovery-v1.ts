// discovery.k8s.io/v1 message layouts.
// Field numbers: generated.proto of k8s.io/api discovery/v1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const discoveryV1: PackageTable = {
  package: 'discovery.v1',
  groupVersion: 'discovery.k8s.io/v1',
  kinds: ['EndpointSlice'],
  messages: {
    Endpoint:
      '1 addresses []s, 2 conditions @EndpointConditions?, 3 hostname s*?, '
      + '4 targetRef @core.v1.ObjectReference*?, 5 deprecatedTopology {}s?, 6 nodeName s*?, '
      + '7 zone s*?, 8 hints @EndpointHints*?',
    EndpointConditions: '1 ready b*?, 2 serving b*?, 3 terminating b*?',
    EndpointHints: '1 forZones []@ForZone?, 2 forNodes []@ForNode?',
    EndpointPort: '1 name s*?, 2 protocol s*?, 3 port i*?, 4 appProtocol s*?',
    EndpointSlice:
      '1 metadata @meta.v1.ObjectMeta?, 4 addressType s, 2 endpoints []@Endpoint, '
      + '3 ports []@EndpointPort',
    ForNode: '1 name s',
    ForZone: '1 name s',
  },
};
