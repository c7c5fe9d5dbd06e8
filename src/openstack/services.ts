/**
 * The OpenStack services `kos up` runs beside Keystone, in the order they are created
 * (a later one may use an earlier one through `deps.peers`). Adding a service is one
 * line here.
 */
import type { OpenStackServiceFactory } from './common/service.js';
import { createComputeService } from './compute/index.js';
import { createImageService } from './image/index.js';
import { createNetworkService } from './network/index.js';
import { createPlacementService } from './placement/index.js';

export const openStackServices: readonly OpenStackServiceFactory[] = [
  createImageService,
  createNetworkService,
  createPlacementService,
  createComputeService,
];
