/**
 * The virt driver contract: what nova-compute asks of a hypervisor. Every call names the
 * instance and its host; a driver never sees Nova's objects. The simulated driver is the
 * reference implementation; a real one (processes, KVM) implements the same calls.
 */
export interface InstanceSpec {
  instanceId: string;
  /** The libvirt-style name, `instance-0000002a`. */
  name: string;
  host: string;
  vcpus: number;
  memoryMiB: number;
  diskGiB: number;
  imageId: string;
  userData: string | null;
}

/** Thrown by a driver when the hypervisor cannot do what was asked; nova-compute records a fault. */
export class VirtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VirtError';
  }
}

export type PowerAction = 'start' | 'stop' | 'reboot-soft' | 'reboot-hard' | 'pause' | 'unpause' | 'suspend' | 'resume' | 'rescue' | 'unrescue';

export interface VirtDriver {
  /** Whether the hypervisor answers (a down one is reported `down` and gets no boots). */
  hostUp(host: string): boolean;
  /** Create and start the instance; resolves when it runs. */
  spawn(spec: InstanceSpec): Promise<void>;
  /** Change the power state of a running instance. */
  power(spec: InstanceSpec, action: PowerAction): Promise<void>;
  /** Remove the instance from its host (idempotent). */
  destroy(instanceId: string, host: string): Promise<void>;
  /** The console log, the last `lines` lines when given. */
  consoleOutput(instanceId: string, lines?: number): string;
}
