import picocolors from 'picocolors';
import { PLAIN, type TextStyle } from '../src/render/render-text.js';

/**
 * Whether to colour what goes to standard output, as Node itself decides for its own output:
 * `FORCE_COLOR` turns colour on even in a pipe (`0` or `false` turn it off), else a non-empty
 * `NO_COLOR` turns it off (no-color.org), else only a terminal whose `TERM` is not `dumb` gets it.
 * @example shouldColor({ NO_COLOR: '1' }, true) // false
 * @example shouldColor({ FORCE_COLOR: '1' }, false) // true
 */
export function shouldColor(env: Readonly<Record<string, string | undefined>>, isTerminal: boolean): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return isTerminal && env['TERM'] !== 'dumb';
}

/**
 * The text report's style: picocolors' ANSI colours when `color`, else {@link PLAIN}. The decision is
 * {@link shouldColor}'s, not picocolors' own detection, which colours whenever `CI` is set (even into a
 * file) and takes `FORCE_COLOR=0` to mean on.
 */
export function createTextStyle(color: boolean): TextStyle {
  if (!color) return PLAIN;
  const colors = picocolors.createColors(true);
  return {
    bold: colors.bold,
    dim: colors.dim,
    red: colors.red,
    yellow: colors.yellow,
    cyan: colors.cyan,
    green: colors.green,
  };
}
