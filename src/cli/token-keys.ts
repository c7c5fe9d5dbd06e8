/**
 * `kos token-keys rotate`: rotate the token key repository in a data dir, like
 * `keystone-manage fernet_rotate`. A running kos watches the directory and uses the new
 * primary key at once; tokens encrypted with a key that rotation drops stop validating.
 */
import { join } from 'node:path';
import { defaultDataDir } from '../core/config.js';
import { KeyRepository } from '../openstack/identity/token/keys.js';

export function rotateTokenKeys(flags: { dataDir?: string }): void {
  const dir = join(flags.dataDir ?? defaultDataDir(), 'token-keys');
  const keys = new KeyRepository({ dir });
  keys.load();
  const primary = keys.rotate();
  process.stdout.write(`token keys in ${dir}: primary ${primary}, held ${keys.indexes().join(', ')}\n`);
}
