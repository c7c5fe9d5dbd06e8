/**
 * Faults on demand, for rehearsing failures: each part of kos that can fail on purpose
 * registers a kind (`node`: a Kubernetes node's kubelet stops; `hypervisor`: a compute host
 * goes down) with a way to set a named target down or up and to list what is down.
 * `kos fault` drives it through the admin-only `/kos/v1/faults` endpoint.
 */
import { KosError } from './errors.js';

export type FaultState = 'down' | 'up';

export interface FaultKind {
  /** What the targets are, for `kos fault list`. */
  description: string;
  /** Every target of this kind with its state. */
  list(): { name: string; state: FaultState }[];
  /** Set a target down or up; throws NotFound for an unknown name. */
  set(name: string, state: FaultState): Promise<void> | void;
}

export class FaultInjector {
  private readonly kinds = new Map<string, FaultKind>();

  register(kind: string, handler: FaultKind): void {
    this.kinds.set(kind, handler);
  }

  list(): { kind: string; description: string; targets: { name: string; state: FaultState }[] }[] {
    return [...this.kinds].map(([kind, k]) => ({ kind, description: k.description, targets: k.list() }));
  }

  async set(kind: string, name: string, state: FaultState): Promise<void> {
    const handler = this.kinds.get(kind);
    if (!handler) throw new KosError('NotFound', `no fault kind ${JSON.stringify(kind)}; known: ${[...this.kinds.keys()].join(', ') || 'none'}`);
    if (!handler.list().some((t) => t.name === name)) throw new KosError('NotFound', `no ${kind} named ${JSON.stringify(name)}`);
    await handler.set(name, state);
  }
}
