/**
 * JSON text as Python's `json.dumps` writes it, which is how lm-eval writes its files: `", "` and
 * `": "` between items on one line (`indent` 0), or one item a line with `","` and `": "` (`indent` 2),
 * non-ASCII characters as they are (`ensure_ascii=False`), and floats as Python prints them (`1.0`,
 * not `1`). A number is written as an int unless wrapped with {@link float}.
 */

/** A number Python holds as a float: written `1.0`, `0.25`, `1e-05`. */
export class Float {
  /** @param {number} value */
  constructor(value) {
    this.value = value;
  }
}

/** Marks a number as a Python float. @param {number} value */
export function float(value) {
  return new Float(value);
}

/**
 * Python's `repr` of a float: shortest round-trip digits (as JavaScript's), `.0` on whole numbers below
 * 1e16, and an exponent of at least two digits (`1e-05`, `1e+16`).
 * @param {number} value
 */
function reprFloat(value) {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  const text = Math.abs(value) < 1e-4 || Math.abs(value) >= 1e16 ? value.toExponential() : String(value);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * @param {unknown} value
 * @param {number} [indent] 0 for one line, else the spaces of each level
 * @param {number} [depth]
 * @returns {string}
 */
export function dumpsPython(value, indent = 0, depth = 0) {
  if (value instanceof Float) return reprFloat(value.value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : reprFloat(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  const entries = Array.isArray(value)
    ? value.map((item) => dumpsPython(item, indent, depth + 1))
    : Object.entries(value).map(
        ([key, item]) => `${JSON.stringify(key)}: ${dumpsPython(item, indent, depth + 1)}`,
      );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  if (indent === 0) return `${open}${entries.join(', ')}${close}`;
  const inner = `\n${' '.repeat(indent * (depth + 1))}`;
  return `${open}${inner}${entries.join(`,${inner}`)}\n${' '.repeat(indent * depth)}${close}`;
}
