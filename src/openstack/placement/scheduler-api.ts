/**
 * What Nova's scheduler and compute manager call in-process, as Nova calls Placement
 * with its service credentials (so no user policy applies): candidates for a request,
 * an atomic claim of one consumer's allocations (all or nothing, never beyond capacity),
 * a move of allocations between consumers (migrations), and a release.
 */
import { KosError } from '../../core/errors.js';
import { allocationCandidates, type CandidateRequest, type Candidates } from './candidates.js';
import type { Resources } from './model.js';
import type { PlacementService } from './service.js';

export interface Claim {
  /** The instance (or migration) uuid. */
  consumer: string;
  projectId: string;
  userId: string;
  /** provider uuid → resources */
  allocations: Record<string, Resources>;
  /** The generation last seen, or null for a new consumer; undefined skips the check. */
  consumerGeneration?: number | null;
}

export class PlacementSchedulerApi {
  constructor(private readonly placement: PlacementService) {}

  candidates(req: CandidateRequest): Candidates {
    return allocationCandidates(
      this.placement.providers(),
      this.placement.repo.consumers.list(),
      req,
      (rp, used) => this.placement.capacitySummary(rp, used),
    );
  }

  /** Claim; false (nothing written) when it no longer fits, so the scheduler tries the next host. */
  async claim(claim: Claim): Promise<boolean> {
    try {
      await this.placement.allocate([{
        consumer: claim.consumer,
        allocations: claim.allocations,
        project_id: claim.projectId,
        user_id: claim.userId,
        ...(claim.consumerGeneration !== undefined ? { consumer_generation: claim.consumerGeneration } : {}),
      }]);
      return true;
    } catch (e) {
      if (e instanceof KosError && e.kind === 'Conflict') return false;
      throw e;
    }
  }

  allocationsOf(consumer: string): Record<string, Resources> {
    return this.placement.consumer(consumer)?.allocations ?? {};
  }

  release(consumer: string): Promise<boolean> {
    return this.placement.release(consumer);
  }

  /** The provider for a hypervisor name (`az1-hv-1`). */
  providerByName(name: string): string | undefined {
    return this.placement.repo.providers.byIndex('name', name)[0]?.id;
  }
}
