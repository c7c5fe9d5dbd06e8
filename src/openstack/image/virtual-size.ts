/**
 * The image's virtual size from its first bytes, as Glance's format inspector finds it:
 * a qcow2 header carries the disk size at offset 24; raw and iso data are their own size.
 * Unknown formats have none (null), as in Glance.
 */
const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);

export function virtualSize(diskFormat: string | null, head: Buffer, size: number): number | null {
  if (diskFormat === 'qcow2' && head.length >= 32 && head.subarray(0, 4).equals(QCOW2_MAGIC)) {
    return Number(head.readBigUInt64BE(24));
  }
  if (diskFormat === 'raw' || diskFormat === 'iso') return size;
  return null;
}

/** A minimal valid qcow2 v2 header for a disk of `bytes` (bootstrap images use it). */
export function qcow2Header(bytes: bigint): Buffer {
  const h = Buffer.alloc(72);
  QCOW2_MAGIC.copy(h, 0);
  h.writeUInt32BE(2, 4); // version
  h.writeUInt32BE(16, 20); // cluster_bits: 64 KiB clusters
  h.writeBigUInt64BE(bytes, 24); // size
  return h;
}
