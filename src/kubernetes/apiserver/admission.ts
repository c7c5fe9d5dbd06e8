/**
 * Admission: plugins that see every create and update after defaulting and before the
 * write, as kube-apiserver's admission chain does. Mutating plugins (LimitRanger filling
 * default requests) run first, then validating ones (ResourceQuota refusing what would
 * exceed a quota). A plugin refuses by throwing a StatusError (usually 403 Forbidden).
 */
import type { UserInfo } from './authn/user.js';
import type { KubeObject } from './object.js';
import type { ResourceDefinition } from './resource.js';

export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE';
  def: ResourceDefinition;
  namespace: string | undefined;
  /** The object about to be written; a mutating plugin may change it in place. */
  object: KubeObject;
  /** The stored object an update replaces. */
  old?: KubeObject;
  dryRun: boolean;
  /** Who asked, for plugins that decide by the requester; absent for the server's own writes. */
  user?: UserInfo;
}

export interface AdmissionPlugin {
  name: string;
  /** Change the object (defaults from policy objects). */
  mutate?(attrs: AdmissionAttributes): Promise<void> | void;
  /** Refuse the write by throwing. */
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}

export class AdmissionChain {
  private readonly plugins: AdmissionPlugin[] = [];

  add(plugin: AdmissionPlugin): () => void {
    this.plugins.push(plugin);
    return () => {
      const i = this.plugins.indexOf(plugin);
      if (i >= 0) this.plugins.splice(i, 1);
    };
  }

  get empty(): boolean {
    return this.plugins.length === 0;
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    // A plugin that decides at once returns nothing, and is not awaited: every pod a
    // controller creates passes here.
    for (const p of this.plugins) {
      const pending = p.mutate?.(attrs);
      if (pending) await pending;
    }
    for (const p of this.plugins) {
      const pending = p.validate?.(attrs);
      if (pending) await pending;
    }
  }
}
