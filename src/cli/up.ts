/** `kos up`: start everything, say where it is, and stop cleanly on SIGINT/SIGTERM. */
import { isKosError } from '../core/errors.js';
import { startKos, type KosInstance } from './start.js';

export interface UpFlags {
  dataDir?: string;
  host?: string;
  port?: string;
  kubernetesPort?: string;
  config?: string;
  logLevel?: string;
}

export async function up(flags: UpFlags): Promise<void> {
  let kos: KosInstance;
  try {
    kos = await startKos({
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.port ? { port: Number(flags.port) } : {}),
      ...(flags.kubernetesPort ? { kubernetesPort: Number(flags.kubernetesPort) } : {}),
      ...(flags.config ? { configFile: flags.config } : {}),
      // The request log goes to a file-like sink only when asked: a terminal wants the summary.
      logLevel: flags.logLevel ?? process.env.KOS_LOG_LEVEL ?? 'warn',
    });
  } catch (e) {
    process.stderr.write(`kos: ${isKosError(e) ? e.message : String((e as Error).stack ?? e)}\n`);
    process.exit(1);
  }
  // Handlers first: a signal right after `kos ready` must still shut down cleanly.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`kos: ${signal}, shutting down\n`);
    // Whatever happens, the process is gone within 5 s.
    setTimeout(() => process.exit(1), 4500).unref();
    kos.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`kos: shutdown failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`kos data dir   ${kos.config.dataDir}`);
  out(`identity       ${kos.authUrl}`);
  out(`metrics        ${kos.url}/metrics`);
  out(`clouds.yaml    ${kos.cloudsYaml}`);
  out(`kubernetes     ${kos.kubernetes.url}  (cluster default)`);
  out(`kubeconfig     ${kos.kubernetes.kubeconfigPath}`);
  out('');
  out(`  export OS_CLIENT_CONFIG_FILE=${kos.cloudsYaml}`);
  out('  openstack --os-cloud kos token issue        # admin');
  out('  openstack --os-cloud kos-demo project list  # demo user, member of project demo');
  out(`  kubectl --kubeconfig ${kos.kubernetes.kubeconfigPath} get namespaces`);
  out('');
  out(`kos ready in ${Math.round(kos.startupMs)} ms`);

}
