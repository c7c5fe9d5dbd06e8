/** A group, version and kind, as in `apps/v1 Deployment`; the core group is the empty string. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** `apps/Deployment`, `/Pod` for core: the key the per-kind tables use (they hold for every version). */
export const groupKindKey = (gvk: Pick<GroupVersionKind, 'group' | 'kind'>): string => `${gvk.group}/${gvk.kind}`;
