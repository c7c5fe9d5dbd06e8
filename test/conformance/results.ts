// Turns the subunit packets of a run into one outcome per listed test. The listing is the
// denominator: tempest reports a class whose setUpClass failed or skipped as one
// `setUpClass (module.Class)` result and never mentions its tests, and a test that never
// ran (a crashed worker, a timeout) is in no result at all; both still count here.
import type { SubunitPacket, SubunitStatus } from './subunit.js';

export type Outcome = 'passed' | 'failed' | 'skipped';

/** Everything the stream said about one test id. */
export interface TestRecord {
  readonly id: string;
  /** The last final status seen (undefined if the test started but never finished). */
  status?: SubunitStatus;
  /** Attachments by name (traceback, reason, pythonlogging:…), chunks joined. */
  readonly attachments: Map<string, string>;
}

export interface TestOutcome {
  readonly id: string;
  readonly className: string;
  readonly outcome: Outcome;
  /** Where the outcome came from: the test itself, its class/module fixture, or nothing. */
  readonly source: 'test' | 'fixture' | 'missing';
  /** The traceback (failed) or reason (skipped) that explains it, if any. */
  readonly detail?: string;
  /** Tempest's request log for the test, to find the call that failed. */
  readonly log?: string;
}

export interface SuiteResult {
  readonly tests: readonly TestOutcome[];
  /** Failed class/module fixtures (setUpClass, tearDownClass, …), which are not tests. */
  readonly fixtureFailures: readonly TestRecord[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

const FINAL: ReadonlySet<SubunitStatus> = new Set(['success', 'uxsuccess', 'skip', 'fail', 'xfail']);
const FIXTURE = /^(setUpClass|tearDownClass|setUpModule|tearDownModule) \((.+)\)$/;
const KEPT_ATTACHMENT = /^(traceback|reason|pythonlogging:.*)$/;

export function collectRecords(packets: Iterable<SubunitPacket>): Map<string, TestRecord> {
  const records = new Map<string, TestRecord>();
  const chunks = new Map<TestRecord, Map<string, Uint8Array[]>>();
  for (const packet of packets) {
    if (packet.testId === undefined) continue;
    let record = records.get(packet.testId);
    if (!record) {
      record = { id: packet.testId, attachments: new Map() };
      records.set(packet.testId, record);
    }
    if (packet.fileName !== undefined && packet.fileBytes && KEPT_ATTACHMENT.test(packet.fileName)) {
      const files = chunks.get(record) ?? new Map<string, Uint8Array[]>();
      chunks.set(record, files);
      const parts = files.get(packet.fileName) ?? [];
      files.set(packet.fileName, parts);
      parts.push(packet.fileBytes);
    }
    if (packet.status !== undefined && FINAL.has(packet.status)) record.status = packet.status;
  }
  for (const [record, files] of chunks) {
    for (const [name, parts] of files) record.attachments.set(name, Buffer.concat(parts).toString('utf8'));
  }
  return records;
}

/** `pkg.module.Class.test_x[id-…,smoke]` → `pkg.module.Class.test_x` */
export function baseTestId(id: string): string {
  return id.replace(/\[[^\]]*\]$/, '');
}

export function classOf(id: string): string {
  const base = baseTestId(id);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

export function scoreSuite(listed: readonly string[], records: ReadonlyMap<string, TestRecord>): SuiteResult {
  const byBaseId = new Map<string, TestRecord>();
  const setUps = new Map<string, TestRecord>();
  const fixtureFailures: TestRecord[] = [];
  for (const record of records.values()) {
    const fixture = FIXTURE.exec(record.id);
    if (fixture) {
      const [, kind, scope] = fixture;
      if (scope !== undefined && (kind === 'setUpClass' || kind === 'setUpModule')) setUps.set(scope, record);
      if (record.status === 'fail') fixtureFailures.push(record);
      continue;
    }
    byBaseId.set(baseTestId(record.id), record);
  }

  const tests = listed.map((id): TestOutcome => {
    const className = classOf(id);
    const own = records.get(id) ?? byBaseId.get(baseTestId(id));
    if (own?.status !== undefined) return fromRecord(id, className, own, 'test');
    const setUp = setUps.get(className) ?? setUps.get(moduleOf(className));
    if (setUp?.status !== undefined) return fromRecord(id, className, setUp, 'fixture');
    return {
      id, className, outcome: 'failed', source: 'missing',
      detail: own ? 'started but never finished (worker crash or timeout)' : 'no result: the test never ran',
    };
  });

  const count = (outcome: Outcome): number => tests.filter((t) => t.outcome === outcome).length;
  return { tests, fixtureFailures, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

function fromRecord(id: string, className: string, record: TestRecord, source: 'test' | 'fixture'): TestOutcome {
  const outcome = outcomeOf(record.status);
  const detail = outcome === 'skipped' ? record.attachments.get('reason') : record.attachments.get('traceback');
  const log = [...record.attachments].find(([name]) => name.startsWith('pythonlogging:'))?.[1];
  return {
    id, className, outcome, source,
    ...(detail !== undefined && outcome !== 'passed' && { detail }),
    ...(log !== undefined && outcome === 'failed' && { log }),
  };
}

/** An expected failure is a pass, an unexpected success a failure (as stestr counts them). */
function outcomeOf(status: SubunitStatus | undefined): Outcome {
  switch (status) {
    case 'success':
    case 'xfail':
      return 'passed';
    case 'skip':
      return 'skipped';
    default:
      return 'failed';
  }
}

function moduleOf(className: string): string {
  const dot = className.lastIndexOf('.');
  return dot < 0 ? className : className.slice(0, dot);
}
