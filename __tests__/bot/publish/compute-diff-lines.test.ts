import { describe, expect, it } from '@jest/globals';
import { computeDiffLines } from '../../../bot/publish/compute-diff-lines.js';
import { fixture, gitPatch } from '../helpers/github-app.js';

describe('computeDiffLines', () => {
  it.each([
    ['no patch (binary, or too large for GitHub)', undefined, []],
    ['a one-line change with context', '@@ -1,3 +1,3 @@\n a: 1\n-b: 2\n+b: 3\n c: 4', [1, 2, 3]],
    ['an added file', '@@ -0,0 +1,2 @@\n+a\n+b', [1, 2]],
    ['a deleted file has no head line', '@@ -1,2 +0,0 @@\n-a\n-b', []],
    [
      'a hunk header with a section name, no newline note',
      '@@ -9 +9 @@ section:\n-x\n+y\n\\ No newline at end of file',
      [9],
    ],
    ['two hunks', '@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -20,2 +21,2 @@\n-d\n+e\n f', [1, 2, 3, 21, 22]],
  ])('%s', (_, patch, expected) => {
    expect([...computeDiffLines(patch)]).toEqual(expected);
  });

  it('git’s own diff of a real config: the hunk around the changed line 57', () => {
    // llama3-lora-1b before/after differ on line 57 only (warmup_steps → warmup_ratio): 3 lines of
    // context each side, so head lines 54–60.
    const patch = gitPatch(
      fixture('params/llama3-lora-1b.before.yml'),
      fixture('params/llama3-lora-1b.after.yml'),
    );
    expect([...computeDiffLines(patch)]).toEqual([54, 55, 56, 57, 58, 59, 60]);
  });
});
