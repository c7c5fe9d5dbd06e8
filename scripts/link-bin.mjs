#!/usr/bin/env node
// npm links the bins of dependencies into node_modules/.bin but never the project's own;
// linking `kos` there makes `npx kos up` run this checkout at once instead of npx
// installing a copy of it.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'kos.mjs');
const bin = join(root, 'node_modules', '.bin', 'kos');
chmodSync(main, 0o755);
mkdirSync(dirname(bin), { recursive: true });
rmSync(bin, { force: true });
symlinkSync('../../dist/kos.mjs', bin);
