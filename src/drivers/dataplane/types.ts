/**
 * The network data plane driver: what the port-binding reconciler asks of whatever wires
 * ports (the simulated driver here, Linux bridges and namespaces later). It sees plain
 * port descriptions, never Neutron objects.
 */
export interface PortPlug {
  portId: string;
  networkId: string;
  macAddress: string;
  addresses: readonly string[];
  /** The hypervisor or node the port lives on ('' when the caller named none). */
  host: string;
}

export interface PortBinding {
  vifType: string;
  vifDetails: Record<string, unknown>;
}

export interface DataPlaneDriver {
  readonly name: string;
  /** Wire the port; idempotent (plugging a plugged port returns the same binding). */
  plug(port: PortPlug): Promise<PortBinding>;
  /** Unwire the port; idempotent. */
  unplug(portId: string): Promise<void>;
  /** Ports currently plugged (for tests and diagnostics). */
  plugged(): readonly string[];
}
