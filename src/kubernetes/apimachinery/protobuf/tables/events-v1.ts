// events.k8s.io/v1 message layouts.
// Field numbers: generated.proto of k8s.io/api events/v1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const eventsV1: PackageTable = {
  package: 'events.v1',
  groupVersion: 'events.k8s.io/v1',
  kinds: ['Event'],
  messages: {
    Event:
      '1 metadata @meta.v1.ObjectMeta, 2 eventTime @meta.v1.MicroTime, 3 series @EventSeries*?, '
      + '4 reportingController s?, 5 reportingInstance s?, 6 action s?, 7 reason s?, '
      + '8 regarding @core.v1.ObjectReference?, 9 related @core.v1.ObjectReference*?, 10 note s?, '
      + '11 type s?, 12 deprecatedSource @core.v1.EventSource?, '
      + '13 deprecatedFirstTimestamp @meta.v1.Time?, 14 deprecatedLastTimestamp @meta.v1.Time?, '
      + '15 deprecatedCount i?',
    EventSeries: '1 count i, 2 lastObservedTime @meta.v1.MicroTime',
  },
};
