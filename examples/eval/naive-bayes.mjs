/**
 * A multinomial naive Bayes text classifier: word counts per label with add-one smoothing. Small, but a
 * real model: trained on labelled rows, it scores each label of an unseen text by its log-probability.
 */

/**
 * The words of a text: lower-cased runs of letters and digits.
 * @param {string} text
 * @returns {string[]}
 */
export function tokenize(text) {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * @typedef {{ text: string, label: string }} Row
 * @typedef {{ labels: string[], vocabulary: Set<string>, logPrior: Map<string, number>,
 *   logLikelihood: Map<string, Map<string, number>>, logUnseen: Map<string, number> }} Model
 */

/**
 * Trains the classifier; the labels are sorted, so ties go to the first label in that order.
 * @param {readonly Row[]} rows
 * @returns {Model}
 */
export function trainNaiveBayes(rows) {
  const labels = [...new Set(rows.map((row) => row.label))].sort();
  /** @type {Map<string, Map<string, number>>} */
  const counts = new Map(labels.map((label) => [label, new Map()]));
  /** @type {Map<string, number>} */
  const documents = new Map(labels.map((label) => [label, 0]));
  const vocabulary = new Set();
  for (const row of rows) {
    documents.set(row.label, (documents.get(row.label) ?? 0) + 1);
    const words = counts.get(row.label);
    for (const word of tokenize(row.text)) {
      vocabulary.add(word);
      words?.set(word, (words.get(word) ?? 0) + 1);
    }
  }
  const logPrior = new Map(
    labels.map((label) => [label, Math.log((documents.get(label) ?? 0) / rows.length)]),
  );
  const logLikelihood = new Map();
  const logUnseen = new Map();
  for (const label of labels) {
    const words = counts.get(label) ?? new Map();
    let total = 0;
    for (const count of words.values()) total += count;
    const denominator = total + vocabulary.size;
    logUnseen.set(label, Math.log(1 / denominator));
    logLikelihood.set(
      label,
      new Map([...words].map(([word, count]) => [word, Math.log((count + 1) / denominator)])),
    );
  }
  return { labels, vocabulary, logPrior, logLikelihood, logUnseen };
}

/**
 * The log-probability of `text` with each label (log prior plus the log-likelihood of each known word;
 * words never seen in training are left out), in the order of `model.labels`.
 * @param {Model} model
 * @param {string} text
 * @returns {number[]}
 */
export function scoreLabels(model, text) {
  const words = tokenize(text).filter((word) => model.vocabulary.has(word));
  return model.labels.map((label) => {
    const likelihood = model.logLikelihood.get(label);
    const unseen = model.logUnseen.get(label) ?? 0;
    let score = model.logPrior.get(label) ?? 0;
    for (const word of words) score += likelihood?.get(word) ?? unseen;
    return score;
  });
}
