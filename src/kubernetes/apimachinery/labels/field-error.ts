/**
 * The text of apimachinery's `field.Invalid` errors and their aggregates, which the label
 * selector parser embeds in its messages (`<nil>: Invalid value: "a b": name part …`).
 */

/** Go's %q for a string, close enough for the ASCII the selectors carry. */
export const goQuote = (s: string): string => JSON.stringify(s);

/** How `field.Error` renders a bad value: strings quoted, anything else as JSON (nil slices as null). */
function renderBadValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value ?? null);
}

export function invalidFieldMessage(path: string, value: unknown, detail: string): string {
  return `${path}: Invalid value: ${renderBadValue(value)}: ${detail}`;
}

export function notSupportedFieldMessage(path: string, value: string, supported: readonly string[]): string {
  return `${path}: Unsupported value: ${goQuote(value)}: supported values: ${supported.map(goQuote).join(', ')}`;
}

/** `utilerrors.NewAggregate(...).Error()`: one message alone, several deduplicated in brackets. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0] ?? '';
  return `[${unique.join(', ')}]`;
}
