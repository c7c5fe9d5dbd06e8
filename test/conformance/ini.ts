// A small writer for the ini dialect oslo.config reads (tempest.conf). It is not a
// general ini library: it only produces what oslo.config's parser reads back verbatim.

export type IniValue = string | number | boolean | readonly string[];
export type IniSection = Readonly<Record<string, IniValue>>;
/** Section name → options. `DEFAULT` is always written first, the rest in insertion order. */
export type IniDocument = Readonly<Record<string, IniSection>>;

const NAME = /^[A-Za-z0-9_.-]+$/;

/** Merges `overlay` over `base` section by section (options of the overlay win). */
export function mergeIni(base: IniDocument, ...overlays: readonly IniDocument[]): IniDocument {
  const out: Record<string, Record<string, IniValue>> = {};
  for (const doc of [base, ...overlays]) {
    for (const [section, options] of Object.entries(doc)) {
      out[section] = { ...out[section], ...options };
    }
  }
  return out;
}

export function formatIni(doc: IniDocument): string {
  const names = Object.keys(doc);
  const ordered = names.includes('DEFAULT') ? ['DEFAULT', ...names.filter((n) => n !== 'DEFAULT')] : names;
  const blocks: string[] = [];
  for (const section of ordered) {
    assertName(section, 'section');
    const lines = [`[${section}]`];
    for (const [key, value] of Object.entries(doc[section] ?? {})) {
      assertName(key, `option in [${section}]`);
      lines.push(`${key} = ${formatValue(value, `${section}.${key}`)}`);
    }
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}

function formatValue(value: IniValue, where: string): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`ini: ${where} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'string') return formatString(value, where);
  // oslo.config ListOpt: comma separated, so an item may not contain a comma.
  for (const item of value) {
    if (item.includes(',')) throw new Error(`ini: list item of ${where} contains a comma`);
  }
  return value.map((item) => formatString(item, where)).join(',');
}

function formatString(value: string, where: string): string {
  // oslo.config has no escape for line breaks: a continuation line would change the value.
  if (/[\r\n]/.test(value)) throw new Error(`ini: ${where} contains a line break`);
  // oslo.config interpolates $name and ${name}; $$ is a literal dollar (passwords may have one).
  const escaped = value.replaceAll('$', '$$$$');
  // oslo.config strips surrounding whitespace and one pair of matching quotes; quoting keeps both.
  const first = escaped[0];
  const quotedAlready = (first === '"' || first === "'") && escaped.at(-1) === first;
  if (escaped !== escaped.trim() || quotedAlready) return `"${escaped}"`;
  return escaped;
}

function assertName(name: string, what: string): void {
  if (!NAME.test(name)) throw new Error(`ini: bad ${what} name ${JSON.stringify(name)}`);
}
