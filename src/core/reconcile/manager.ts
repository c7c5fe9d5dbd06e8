/**
 * The manager runs a process's controllers and the informers they read. Controllers that
 * need to be unique across processes run only while this process holds the leader
 * lease; informers run all the time so that a new leader starts on a warm cache.
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import { Controller, type ControllerOptions, type SyncSource } from './controller.js';
import { LeaderElector, type LeaderElectionOptions } from './leader.js';
import { reconcileMetrics, type ReconcileMetrics } from './metrics.js';

export { Controller, fromInformer } from './controller.js';
export type { ControllerOptions, Reconciler, ReconcileResult, Source, SyncSource } from './controller.js';

export type ManagerLeaderElection = Omit<LeaderElectionOptions, 'clock' | 'logger' | 'onStartedLeading' | 'onStoppedLeading'>;

export interface ManagerOptions {
  clock: Clock;
  logger?: Logger;
  /** Where reconcile metrics go; none are kept without one. */
  registry?: Registry;
  /**
   * Without this, every controller runs here (one process is the whole cloud). With it,
   * leader-elected controllers run only while this process holds the lease.
   */
  leaderElection?: ManagerLeaderElection;
}

export class Manager {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly metrics: ReconcileMetrics | undefined;
  private readonly elector: LeaderElector | undefined;
  private readonly informers = new Set<SyncSource>();
  private readonly controllers: Controller[] = [];
  private started = false;

  constructor(opts: ManagerOptions) {
    this.clock = opts.clock;
    this.log = opts.logger ?? silentLogger();
    this.metrics = opts.registry ? reconcileMetrics(opts.registry) : undefined;
    if (opts.leaderElection) {
      this.elector = new LeaderElector({
        ...opts.leaderElection,
        clock: opts.clock,
        logger: this.log,
        onStartedLeading: () => this.startElected(),
        onStoppedLeading: () => this.stopElected(),
      });
    }
  }

  /** Run an informer with the manager, e.g. one no controller lists as a source. */
  addInformer(informer: SyncSource): void {
    this.assertNotStarted();
    this.informers.add(informer);
  }

  /** Create a controller with the manager's clock, logger and metrics; its sources' informers run too. */
  addController(opts: Omit<ControllerOptions, 'clock' | 'logger' | 'metrics'>): Controller {
    this.assertNotStarted();
    const controller = new Controller({
      ...opts,
      clock: this.clock,
      logger: this.log,
      ...(this.metrics ? { metrics: this.metrics } : {}),
    });
    this.controllers.push(controller);
    for (const s of controller.sources) this.informers.add(s.informer);
    return controller;
  }

  /** Whether this process holds the lease (always true without leader election). */
  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  controller(name: string): Controller | undefined {
    return this.controllers.find((c) => c.name === name);
  }

  /**
   * Start informers and the controllers that run everywhere, and begin campaigning for
   * the rest. Resolves once the unconditional controllers have synced and started;
   * leadership may come later or never.
   */
  async start(): Promise<void> {
    this.assertNotStarted();
    this.started = true;
    for (const informer of this.informers) informer.start();
    await Promise.all(this.unconditional().map((c) => c.start()));
    this.elector?.start();
  }

  /** Stop everything: elected controllers and the lease first, so another process takes over promptly. */
  async stop(): Promise<void> {
    if (!this.started) return;
    await this.elector?.stop();
    await Promise.all(this.controllers.map((c) => c.stop()));
    await Promise.all([...this.informers].map((i) => i.stop()));
    this.started = false;
  }

  private unconditional(): Controller[] {
    return this.controllers.filter((c) => !this.elector || !c.leaderElected);
  }

  private elected(): Controller[] {
    return this.elector ? this.controllers.filter((c) => c.leaderElected) : [];
  }

  private async startElected(): Promise<void> {
    await Promise.all(this.elected().map((c) => c.start()));
  }

  private async stopElected(): Promise<void> {
    await Promise.all(this.elected().map((c) => c.stop()));
  }

  private assertNotStarted(): void {
    if (this.started) throw new Error('the manager is already running; add controllers and informers before start()');
  }
}
