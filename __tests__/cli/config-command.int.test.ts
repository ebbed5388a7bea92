import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, main } from '../../cli/main.js';
import { MAX_ALIAS_EXPANSION } from '../../src/loaders/measure-aliases.js';
import { BILLION_LAUGHS, findBillionLaughsExcess } from '../helpers/billion-laughs.js';

async function runCli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('tuneguard config validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tuneguard-config-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github', 'tuneguard.yml'),
      'params: [configs/sft.yaml]\nchecks:\n  data-shrink: { max-drop: 10% }\n',
    );
    // Three mistakes, on lines 1, 3 and 4.
    writeFileSync(
      join(dir, 'broken.yml'),
      'chekcs: {}\nchecks:\n  eval-regresion: {}\n  data-shrink: { severity: warn }\n',
    );
    writeFileSync(join(dir, 'laughs.yml'), BILLION_LAUGHS);
    writeFileSync(join(dir, 'latin1.yml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says the default file is valid (exit 0)', async () => {
    const run = await runCli(['config', 'validate'], dir);
    expect(run).toEqual({ code: EXIT.pass, stdout: '.github/tuneguard.yml: valid\n', stderr: '' });
  });

  it('prints every problem with its line, column and suggestion (exit 1)', async () => {
    const run = await runCli(['config', 'validate', 'broken.yml'], dir);
    expect(run.code).toBe(EXIT.failure);
    expect(run.stdout).toBe(
      [
        'broken.yml:1:1: unknown key "chekcs"; did you mean "checks"?',
        'broken.yml:3:3: unknown check "eval-regresion"; did you mean "eval-regression"?',
        'broken.yml:4:28: checks.data-shrink.severity: invalid option: expected one of "failure"|"warning"|"notice"|"off"; did you mean "warning"?',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('tuneguard: broken.yml is invalid: 3 problems\n');
  });

  it('prints a billion-laughs file as one problem at its alias, with no stack trace (exit 1)', async () => {
    const { line, column } = findBillionLaughsExcess(MAX_ALIAS_EXPANSION);
    const run = await runCli(['config', 'validate', 'laughs.yml'], dir);
    expect(run.code).toBe(EXIT.failure);
    expect(run.stdout).toMatch(new RegExp(`^laughs\\.yml:${line}:${column}: too many aliases: [^\\n]+\\n$`));
    expect(run.stderr).toBe('tuneguard: laughs.yml is invalid: 1 problem\n');
  });

  it.each([
    [['config'], /name a config command: tuneguard config validate \[FILE\]/],
    [['config', 'check'], /unknown config command: check/],
    [['config', 'validate', 'a.yml', 'b.yml'], /config validate takes one file, not a\.yml b\.yml/],
    [['config', 'validate', '--strict'], /Unknown option '--strict'/],
    [['config', 'validate', 'missing.yml'], /there is no missing\.yml in /],
  ])('%p is a usage error (exit 2)', async (argv, pattern) => {
    const run = await runCli(argv, dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(pattern);
  });

  it('a file that is not UTF-8 cannot be validated (exit 2)', async () => {
    const run = await runCli(['config', 'validate', 'latin1.yml'], dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toBe('tuneguard: latin1.yml: the file is not valid UTF-8 text (line 1)\n');
  });

  it('without the default file, says the defaults apply (exit 2)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tuneguard-config-none-'));
    try {
      const run = await runCli(['config', 'validate'], empty);
      expect(run.code).toBe(EXIT.usage);
      expect(run.stderr).toContain('there is no .github/tuneguard.yml in');
      expect(run.stderr).toContain('(without it the defaults apply)');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
