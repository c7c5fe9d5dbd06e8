/** Policies (/v3/policies): a type and a blob, both strings; other attributes are kept. */
import { Type } from '@sinclair/typebox';
import { hexId } from '../../../core/ids.js';
import type { Policy } from '../model.js';
import { selfLinked, type CrudResource, type Json } from '../crud.js';
import { check } from './validate.js';
import { extraOf } from '../resources/body.js';

const PolicyUpdate = Type.Object(
  { blob: Type.Optional(Type.String()), type: Type.Optional(Type.String({ maxLength: 255 })) },
  { additionalProperties: true },
);
const PolicyCreate = Type.Object(
  { blob: Type.String(), type: Type.String({ maxLength: 255 }) },
  { additionalProperties: true },
);

const known = ['id', 'blob', 'type'] as const;

export const policyView = (p: Policy): Json => ({ ...p.extra, id: p.id, type: p.type, blob: p.blob });

export const policies = (rules: CrudResource<Policy>['rules']): CrudResource<Policy> => ({
  member: 'policy',
  plural: 'policies',
  rules,
  collection: (deps) => deps.repo.c.policies,
  view: selfLinked('policies', policyView),
  create(input, { deps }) {
    const body = check(input, PolicyCreate, 'policy');
    return deps.repo.c.policies.create({ id: hexId(), type: body.type, blob: body.blob, extra: extraOf(input, known) });
  },
  update(current, patch) {
    const body = check(patch, PolicyUpdate, 'policy');
    return {
      ...current,
      type: body.type ?? current.type,
      blob: body.blob ?? current.blob,
      extra: { ...current.extra, ...extraOf(patch, known) },
    };
  },
  filters: { type: (p, v) => p.type === v },
});
