// What must be on the machine before a run, checked up front so a missing piece is one
// clear sentence instead of a stack trace from the middle of a run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Debian packages (tempest plugins) that dpkg does not report as installed. */
export function missingPackages(packages: readonly string[]): string[] {
  return packages.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return query.status !== 0 || !query.stdout.includes('install ok installed');
  });
}

export function checkPrerequisites(pluginPackages: readonly string[]): string[] {
  const problems: string[] = [];
  for (const command of ['tempest', 'stestr']) {
    if (!onPath(command)) problems.push(`${command} is not on PATH: apt-get install tempest`);
  }
  const missing = missingPackages(pluginPackages);
  if (missing.length) problems.push(`tempest plugins missing: apt-get install ${missing.join(' ')}`);
  return problems;
}
