/**
 * The allocation admission plugin plugged into the registry for as long as the
 * controller manager runs: the manager starts and stops it like an informer, so a stopped
 * cluster leaves no plugin behind waiting on an informer that will never sync again.
 */
import type { SyncSource } from '../../../../core/reconcile/index.js';
import type { AdmissionChain, AdmissionPlugin } from '../../../apiserver/admission.js';

export class AdmissionPluginSource implements SyncSource {
  private remove: (() => void) | undefined;

  constructor(
    private readonly chain: AdmissionChain,
    private readonly plugin: AdmissionPlugin,
  ) {}

  start(): void {
    this.remove ??= this.chain.add(this.plugin);
  }

  stop(): Promise<void> {
    this.remove?.();
    this.remove = undefined;
    return Promise.resolve();
  }

  waitForSync(): Promise<void> {
    return Promise.resolve();
  }
}
