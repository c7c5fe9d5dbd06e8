#!/usr/bin/env node
// Bundles the CLI into dist/kos.mjs (and its threads' entries beside it). Node spends most of a cold start resolving and
// compiling hundreds of small module files; one file starts kos in about a third of the
// time. better-sqlite3 stays external: it loads a native addon from its own package.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The store's writer thread and the Kubernetes controllers' thread load entries of their own, beside the CLI's.
await build({
  entryPoints: [
    { in: join(root, 'src', 'cli', 'main.ts'), out: 'kos' },
    { in: join(root, 'src', 'core', 'store', 'sqlite-writer-thread.ts'), out: 'sqlite-writer-thread' },
    { in: join(root, 'src', 'kubernetes', 'controllers', 'thread', 'controller-thread.ts'), out: 'kube-controllers-thread' },
  ],
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  external: ['better-sqlite3'],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as kosCreateRequire } from 'node:module'; const require = kosCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
