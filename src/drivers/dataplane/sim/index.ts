/**
 * The simulated data plane: remembers which ports are plugged and answers an OVS-like
 * binding at once. The reference implementation of DataPlaneDriver.
 */
import type { DataPlaneDriver, PortBinding, PortPlug } from '../types.js';

export class SimDataPlane implements DataPlaneDriver {
  readonly name = 'sim';
  private readonly ports = new Map<string, PortPlug>();

  async plug(port: PortPlug): Promise<PortBinding> {
    this.ports.set(port.portId, port);
    return { vifType: 'ovs', vifDetails: { port_filter: true, connectivity: 'l2', bridge_name: 'br-int', datapath_type: 'system' } };
  }

  async unplug(portId: string): Promise<void> {
    this.ports.delete(portId);
  }

  plugged(): readonly string[] {
    return [...this.ports.keys()];
  }
}
