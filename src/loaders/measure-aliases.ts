import { isAlias, isCollection, isNode, isPair, type Alias, type Document, type Node } from 'yaml';

/**
 * How many values a YAML document's aliases may add once expanded. A real config or results file adds a
 * few hundred (`<<: *defaults` in each of a few dozen entries); a "billion laughs" document of 1 KB
 * adds 10^9 and would take minutes and gigabytes to walk.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** What a document whose aliases expand past {@link MAX_ALIAS_EXPANSION} values is told, without its place. */
export const TOO_MANY_ALIASES = `too many aliases: expanding them gives more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values (nested aliases that multiply, as in a "billion laughs" document); write the values out instead`;

/** What one pass over a document's aliases found. */
export interface AliasMeasure {
  /** The node each alias stands for (the last anchor of its name before it); absent when undefined. */
  targets: Map<Alias, Node>;
  /** The alias at which the values added by expanding aliases passed the limit, in document order. */
  excess?: Alias;
}

/**
 * Resolves every alias of a document and counts the values they add once expanded, in one pass linear
 * in the document's size: each anchored node's expanded size is computed once and reused by its aliases.
 * An alias inside the node it names (a cycle) counts as one value.
 * @example measureAliases(parseDocument('a: &x [1, 2]\nb: *x\n')).excess // undefined
 */
export function measureAliases(doc: Document, limit = MAX_ALIAS_EXPANSION): AliasMeasure {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const targets = new Map<Alias, Node>();
  let added = 0;
  let excess: Alias | undefined;
  const measure = (node: unknown): number => {
    if (excess) return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      const size = (target && sizes.get(target)) ?? 1;
      added += size;
      if (added > limit) excess = node;
      return size;
    }
    const anchored = isNode(node) && node.anchor !== undefined ? node : undefined;
    if (anchored?.anchor !== undefined) anchors.set(anchored.anchor, anchored);
    let size = 1;
    if (isCollection(node)) {
      for (const item of node.items)
        size += isPair(item) ? measure(item.key) + measure(item.value) : measure(item);
    }
    // Capped, so that sizes of nested expansions never leave the safe integers.
    size = Math.min(size, limit + 1);
    if (anchored) sizes.set(anchored, size);
    return size;
  };
  measure(doc.contents);
  return excess ? { targets, excess } : { targets };
}
