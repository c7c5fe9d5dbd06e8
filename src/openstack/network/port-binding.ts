/**
 * The L2 agent of kos: a reconciler that binds ports through the data plane driver. A
 * port with a device owner (compute:*, a router interface…) is plugged and goes ACTIVE
 * with the driver's binding; a port without one, or gone, is unplugged and goes DOWN.
 */
import type { Reconciler, ReconcileResult, Source } from '../../core/reconcile/index.js';
import type { DataPlaneDriver } from '../../drivers/dataplane/types.js';
import type { NetworkCore } from './core.js';
import { FLOATINGIP_OWNER, ROUTER_GATEWAY } from './ports.js';

const wantsBinding = (owner: string): boolean => owner !== '' && owner !== FLOATINGIP_OWNER;

export function portBindingReconciler(core: NetworkCore, driver: DataPlaneDriver): Reconciler {
  return {
    name: 'network-port-binding',
    async reconcile(id: string): Promise<ReconcileResult> {
      const port = core.repo.ports.get(id);
      if (!port || !wantsBinding(port.device_owner)) {
        await driver.unplug(id);
        if (port && port.status === 'ACTIVE') {
          await core.writes.run(() => core.res.ports.touch(id, (p) => ({ ...p, status: 'DOWN', 'binding:vif_type': 'unbound', 'binding:vif_details': {} })));
        }
        return {};
      }
      const binding = await driver.plug({
        portId: port.id, networkId: port.network_id, macAddress: port.mac_address,
        addresses: port.fixed_ips.map((f) => f.ip_address), host: port['binding:host_id'],
      });
      const status = port.admin_state_up || port.device_owner === ROUTER_GATEWAY ? 'ACTIVE' : 'DOWN';
      if (port.status !== status || port['binding:vif_type'] !== binding.vifType) {
        await core.writes.run(async () => {
          if (!core.repo.ports.has(id)) return;
          await core.res.ports.touch(id, (p) => ({ ...p, status, 'binding:vif_type': binding.vifType, 'binding:vif_details': binding.vifDetails }));
        });
      }
      return {};
    },
  };
}

/** Port ids from the service's own writes, plus every stored port once at start. */
export function portSource(core: NetworkCore): Source {
  return {
    informer: { start() {}, async stop() {}, async waitForSync() {} },
    subscribe(enqueue) {
      for (const p of core.repo.ports.list()) enqueue(p.id);
      core.portListeners.add(enqueue);
      return () => core.portListeners.delete(enqueue);
    },
  };
}
