import { visit, type JSONVisitor, type ParseOptions } from 'jsonc-parser';

/**
 * jsonc-parser's `visit`, which recurses once per level of nesting: a document nested deeper than the
 * stack allows (a pull request can hold `[[[[…]]]]` 100,000 deep) stops the visit and gives `false`
 * instead of a `RangeError` that would end the whole run. `true` when the document was visited to its end.
 * @example visitJson('[1]', {}) // true
 */
export function visitJson(text: string, visitor: JSONVisitor, options?: ParseOptions): boolean {
  try {
    visit(text, visitor, options);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
