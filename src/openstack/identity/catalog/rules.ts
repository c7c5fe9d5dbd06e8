/**
 * The policy defaults shared by the catalog and delegation modules, as Keystone writes
 * them in keystone/common/policies/base.py (scope enforcement off).
 */
import { always, anyOf, isAdmin, isSelf, isSystemReader, type Rule } from '../../common/policy.js';

/** rule:admin_required or (role:reader and system_scope:all) */
export const adminOrSystemReader: Rule = anyOf(isAdmin, isSystemReader);
/** … or the target's user is the caller (rule:owner). */
export const adminOrSystemReaderOrOwner: Rule = anyOf(isAdmin, isSystemReader, isSelf);
export const adminOrOwner: Rule = anyOf(isAdmin, isSelf);
export const anyone: Rule = always;

/** The five rule names of a resource: identity:<verb>_<noun>. */
export function crudRuleNames(singular: string, plural: string = `${singular}s`) {
  return {
    list: `identity:list_${plural}`,
    get: `identity:get_${singular}`,
    create: `identity:create_${singular}`,
    update: `identity:update_${singular}`,
    delete: `identity:delete_${singular}`,
  };
}

/** The rules of a resource readable by `read` and writable by admins only. */
export function adminWrites(names: ReturnType<typeof crudRuleNames>, read: Rule): Record<string, Rule> {
  return {
    [names.list]: read,
    [names.get]: read,
    [names.create]: isAdmin,
    [names.update]: isAdmin,
    [names.delete]: isAdmin,
  };
}
