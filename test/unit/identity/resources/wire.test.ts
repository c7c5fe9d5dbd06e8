import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { User } from '../../../../src/openstack/identity/model.js';
import { readMember, toBool } from '../../../../src/openstack/identity/resources/body.js';
import { ProjectCreate, Tags } from '../../../../src/openstack/identity/resources/schemas.js';
import { check } from '../../../../src/openstack/identity/resources/body.js';
import { userView } from '../../../../src/openstack/identity/resources/views.js';

const req = { protocol: 'http', headers: { host: 'kos:5000' }, hostname: 'kos' } as unknown as FastifyRequest;

describe('request bodies', () => {
  it('name the missing wrapper and the offending attribute as Keystone does', () => {
    expect(() => readMember({}, 'project', ProjectCreate)).toThrow("Invalid input for field 'project': 'project' is a required property.");
    expect(() => readMember({ project: { name: '' } }, 'project', ProjectCreate)).toThrow(/^Invalid input for field\/attribute name\. Value: \. /);
    expect(() => readMember({ project: { name: 'a'.repeat(65) } }, 'project', ProjectCreate)).toThrow(/field\/attribute name/);
    expect(() => readMember({ project: { name: 'p', enabled: 'maybe' } }, 'project', ProjectCreate)).toThrow(/field\/attribute enabled/);
  });

  it('keep unknown attributes and accept Keystone’s boolean spellings', () => {
    const p = readMember({ project: { name: 'p', enabled: 'False', color: 'red' } }, 'project', ProjectCreate);
    expect(p.color).toBe('red');
    expect(toBool(p.enabled!)).toBe(false);
    expect(toBool('yes')).toBe(true);
  });

  it('refuse tags with a comma or a slash, and duplicates', () => {
    expect(() => check(Tags, ['a,b'], 'tags')).toThrow(/Invalid input/);
    expect(() => check(Tags, ['a/b'], 'tags')).toThrow(/Invalid input/);
    expect(() => check(Tags, ['a', 'a'], 'tags')).toThrow(/Invalid input/);
    expect(() => check(Tags, ['a', 'b'], 'tags')).not.toThrow();
  });
});

describe('user view', () => {
  const user: User = {
    id: 'u1', name: 'alice', domain_id: 'default', enabled: true, default_project_id: null, description: null,
    options: {}, extra: { email: 'a@example.org' },
    passwords: [{ hash: 'scrypt$secret', created_at: '2026-01-01T00:00:00.000000', expires_at: null }],
    created_at: '2026-01-01T00:00:00.000000', last_active_at: null,
  };

  it('never shows the password and shows default_project_id only when set', () => {
    const view = userView(req, user);
    expect(view).toEqual({
      id: 'u1', name: 'alice', domain_id: 'default', enabled: true, password_expires_at: null, options: {},
      email: 'a@example.org', links: { self: 'http://kos:5000/v3/users/u1' },
    });
    expect(JSON.stringify(view)).not.toContain('scrypt');
    expect(userView(req, { ...user, default_project_id: 'p1' }).default_project_id).toBe('p1');
  });
});
