/**
 * Glance's version document: GET /image answers 300 Multiple Choices with every API
 * version (v2.16 current, as Zed's Glance), which keystoneauth discovery and tempest read.
 */
const MINORS = 16;

export function versionsDocument(imageUrl: string): { versions: Record<string, unknown>[] } {
  const versions = [];
  for (let minor = MINORS; minor >= 0; minor--) {
    versions.push({
      id: `v2.${minor}`,
      status: minor === MINORS ? 'CURRENT' : 'SUPPORTED',
      links: [{ rel: 'self', href: `${imageUrl}/v2/` }],
    });
  }
  return { versions };
}
