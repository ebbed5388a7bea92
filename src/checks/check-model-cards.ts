import type { Finding } from '../model/report-schema.js';
import { plural } from '../text/plural.js';
import type { CardMismatch, CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';

/**
 * `eval-card-mismatch`: one finding per model card whose numbers disagree with the results files beside
 * it on head, where the disagreement is new: the same number stated against the same result on base
 * predates the pull request.
 */
export function checkModelCards(context: CheckContext): Finding[] {
  return (context.modelCards ?? []).flatMap((entry) => {
    const before = new Set(entry.base.map(describeMismatch));
    const fresh = entry.head.filter((mismatch) => !before.has(describeMismatch(mismatch)));
    const cards = [...new Set(fresh.map((mismatch) => mismatch.card))];
    return cards.flatMap(
      (card) =>
        cardFinding(
          card,
          fresh.filter((mismatch) => mismatch.card === card),
          context,
        ) ?? [],
    );
  });
}

function cardFinding(
  card: string,
  mismatches: readonly CardMismatch[],
  context: CheckContext,
): Finding | undefined {
  const first = mismatches[0];
  const files = [...new Set(mismatches.map((m) => m.results))];
  return createFinding('eval-card-mismatch', context.config, {
    title: `${card} states ${plural(mismatches.length, 'number')} that ${files.join(' and ')} ${files.length === 1 ? 'does' : 'do'} not hold`,
    details: [
      ...mismatches.map(
        (m) =>
          `line ${m.stated.line}: ${m.stated.label} ${m.stated.value}; ${m.results} has ${m.key} = ${Number(m.actual.toPrecision(6))}`,
      ),
      `A card showing other numbers than the run's results misleads its readers: update the card to the results, or say which run its numbers come from.`,
    ],
    evidence: { head: mismatches.length },
    location: { path: card, ...(first ? { line: first.stated.line } : {}) },
  });
}

/** The same statement against the same result, whatever line it moved to. */
function describeMismatch(mismatch: CardMismatch): string {
  return JSON.stringify([
    mismatch.card,
    mismatch.stated.label,
    mismatch.stated.value,
    mismatch.key,
    mismatch.actual,
  ]);
}
