import { describe, expect, it } from 'vitest';
import { formatIni, mergeIni } from '../../conformance/ini.js';

describe('formatIni', () => {
  it('writes DEFAULT first, then sections in order, one option a line', () => {
    const text = formatIni({ auth: { admin_username: 'admin' }, DEFAULT: { debug: true } });
    expect(text).toBe('[DEFAULT]\ndebug = true\n\n[auth]\nadmin_username = admin\n');
  });

  it('writes booleans, numbers and lists the way oslo.config reads them', () => {
    const text = formatIni({ s: { on: false, n: 10, list: ['a', 'b'] } });
    expect(text).toBe('[s]\non = false\nn = 10\nlist = a,b\n');
  });

  it('doubles $ so oslo.config does not interpolate it', () => {
    expect(formatIni({ auth: { admin_password: 'p$ss${x}' } })).toContain('admin_password = p$$ss$${x}\n');
  });

  it('quotes values whose edges oslo.config would strip', () => {
    expect(formatIni({ s: { a: ' padded ' } })).toContain('a = " padded "\n');
    expect(formatIni({ s: { a: '"quoted"' } })).toContain('a = ""quoted""\n');
    expect(formatIni({ s: { a: "'" } })).toContain(`a = "'"\n`);
    expect(formatIni({ s: { a: 'in "the" middle' } })).toContain('a = in "the" middle\n');
  });

  it('refuses what cannot be written', () => {
    expect(() => formatIni({ s: { a: 'two\nlines' } })).toThrow(/line break/);
    expect(() => formatIni({ s: { a: ['x,y'] } })).toThrow(/comma/);
    expect(() => formatIni({ s: { a: Number.NaN } })).toThrow(/finite/);
    expect(() => formatIni({ 'bad]': { a: 1 } })).toThrow(/section/);
    expect(() => formatIni({ s: { 'a = b': 1 } })).toThrow(/option/);
  });
});

describe('mergeIni', () => {
  it('merges section by section, later documents winning', () => {
    const merged = mergeIni(
      { service_available: { nova: false, neutron: false }, auth: { x: 1 } },
      { service_available: { neutron: true } },
    );
    expect(merged).toEqual({ service_available: { nova: false, neutron: true }, auth: { x: 1 } });
  });
});
