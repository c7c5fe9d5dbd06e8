/**
 * The version this server reports. kubectl's version-skew warning and some dispatchers
 * read major/minor; the `+kos` build suffix keeps semver comparisons (Helm's kubeVersion)
 * working while saying what this is.
 */
export const kubernetesVersion = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.1+kos',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T00:00:00Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;
