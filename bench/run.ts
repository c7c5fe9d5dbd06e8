/**
 * Every benchmark in turn, or those named: `npm run bench -- startup tokens store`.
 * Figures are printed, never asserted. Build first (`npm run build`): startup spawns dist.
 */
import { benchIdentityTokens } from './identity-tokens.js';
import { benchCliWall } from './cli-wall.js';
import { benchClusterScale } from './cluster-scale.js';
import { benchCompute } from './compute.js';
import { benchKubeApiserver } from './kube-apiserver.js';
import { benchNetwork } from './network.js';
import { benchScheduler } from './scheduler.js';
import { benchStartup } from './startup.js';
import { main as benchStore } from './store.js';

const benches: Record<string, () => Promise<void>> = {
  startup: () => benchStartup(),
  tokens: () => benchIdentityTokens(),
  store: () => benchStore(),
  kube: () => benchKubeApiserver(),
  scheduler: () => benchScheduler(),
  network: () => benchNetwork(),
  compute: () => benchCompute({ hypervisors: 1000, servers: 1000, concurrency: 16 }),
  cli: () => benchCliWall({ runs: 5 }),
  scale: () => benchClusterScale({ nodes: 1000, pods: 30_000, deployments: 100, deadlineSeconds: 300, controllers: 'thread' }),
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of names.length > 0 ? names : Object.keys(benches)) {
  const bench = benches[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`\n== ${name}\n`);
  await bench();
}
