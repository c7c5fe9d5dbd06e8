/**
 * The `immutable` resource option of domains, projects and roles: such a resource can be
 * neither changed nor deleted, except by a request that only turns the option off.
 */
import { KosError } from '../../../core/errors.js';
import type { ResourceOptions } from '../model.js';

const isImmutable = (options: ResourceOptions): boolean => options.immutable === true;

export function assertUpdatable(kind: string, id: string, options: ResourceOptions, update: Record<string, unknown>): void {
  if (!isImmutable(options)) return;
  const given = update.options as ResourceOptions | undefined;
  const onlyUnsets = Object.keys(update).length === 1 && given !== undefined && given.immutable === false;
  if (!onlyUnsets) {
    throw new KosError(
      'Forbidden',
      `Unable to update immutable ${kind} resource: \`${id}. Set resource option "immutable" to false first.`,
    );
  }
}

export function assertDeletable(kind: string, id: string, options: ResourceOptions): void {
  if (isImmutable(options)) {
    throw new KosError(
      'Forbidden',
      `Unable to delete immutable ${kind} resource: \`${id}. Set resource option "immutable" to false first.`,
    );
  }
}
