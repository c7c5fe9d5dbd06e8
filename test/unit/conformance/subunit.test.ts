import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSubunit, decodeSubunitPrefix, SubunitError } from '../../conformance/subunit.js';

const sample = readFileSync(new URL('./fixtures/sample.subunit', import.meta.url));

/** A minimal subunit v2 encoder for hand-made packets: test id and status only. */
function packet(testId: string, status: number, lengthWidth: 1 | 2 | 3 = 2): Buffer {
  const id = Buffer.from(testId, 'utf8');
  const idLength = id.length < 64 ? Buffer.from([id.length]) : Buffer.from([0x40 | (id.length >> 8), id.length & 0xff]);
  const body = Buffer.concat([idLength, id]);
  const total = 1 + 2 + lengthWidth + body.length + 4;
  const length = lengthWidth === 1 ? Buffer.from([total])
    : lengthWidth === 2 ? Buffer.from([0x40 | (total >> 8), total & 0xff])
      : Buffer.from([0x80 | (total >> 16), (total >> 8) & 0xff, total & 0xff]);
  const flags = 0x2000 | 0x0800 | 0x0100 | status;
  const head = Buffer.concat([Buffer.from([0xb3, flags >> 8, flags & 0xff]), length, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(head));
  return Buffer.concat([head, crc]);
}

describe('decodeSubunit', () => {
  it('reads a stream stored by stestr', () => {
    const packets = decodeSubunit(sample);
    const finals = packets.filter((p) => p.status && p.status !== 'inprogress' && p.status !== 'exists');
    expect(finals.map((p) => [p.testId, p.status])).toEqual([
      ['setUpClass (sample.test_sample.BrokenSetUp)', 'fail'],
      ['sample.test_sample.PassingAndFailing.test_expected_failure', 'xfail'],
      ['sample.test_sample.PassingAndFailing.test_fail_assert', 'fail'],
      ['sample.test_sample.PassingAndFailing.test_fail_not_found', 'fail'],
      ['sample.test_sample.PassingAndFailing.test_pass[id-8a2c1b8e-5f0e-4a43-9b1c-0f6a9d6b2e11,smoke]', 'success'],
      ['sample.test_sample.PassingAndFailing.test_skipped', 'skip'],
      ['setUpClass (sample.test_sample.SkippedClass)', 'skip'],
    ]);
    expect(finals.every((p) => p.tags?.includes('worker-0') && p.timestamp instanceof Date)).toBe(true);
  });

  it('reads attachments with their names and mime types', () => {
    const traceback = decodeSubunit(sample).find((p) => p.fileName === 'traceback' && p.testId?.includes('BrokenSetUp'));
    expect(traceback?.mimeType).toMatch(/^text\/x-traceback/);
    expect(Buffer.from(traceback?.fileBytes ?? []).toString()).toContain('ConnectionRefusedError: [Errno 111] Connection refused');
  });

  it('decodes 1, 2 and 3 byte lengths and long strings', () => {
    const longId = `pkg.Class.test_${'x'.repeat(300)}`;
    const stream = Buffer.concat([packet('a.b', 3, 1), packet('a.c', 6, 2), packet(longId, 5, 3)]);
    expect(decodeSubunit(stream).map((p) => [p.testId, p.status, p.runnable])).toEqual([
      ['a.b', 'success', true], ['a.c', 'fail', true], [longId, 'skip', true],
    ]);
  });

  it('skips bytes between packets that are not a packet', () => {
    const stream = Buffer.concat([Buffer.from('warning: noise\n'), packet('a.b', 3)]);
    expect(decodeSubunit(stream).map((p) => p.testId)).toEqual(['a.b']);
  });

  it('refuses a damaged packet', () => {
    const damaged = packet('a.b', 3);
    const at = damaged.length - 6;
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0xff, at);
    expect(() => decodeSubunit(damaged)).toThrow(SubunitError);
    expect(() => decodeSubunit(packet('a.b', 3).subarray(0, 8))).toThrow(/length/);
    const v1 = Buffer.from(packet('a.b', 3));
    v1[1] = 0x10;
    expect(() => decodeSubunit(v1)).toThrow(/version/);
  });
});

describe('decodeSubunitPrefix', () => {
  it('keeps the complete packets of a stream cut mid-packet', () => {
    const whole = Buffer.concat([packet('a.b', 3), packet('a.c', 6)]);
    const cut = Buffer.concat([whole, packet('a.d', 3).subarray(0, 7)]);
    expect(decodeSubunitPrefix(cut).map((p) => p.testId)).toEqual(['a.b', 'a.c']);
    expect(() => decodeSubunit(cut)).toThrow(SubunitError);
  });
});
