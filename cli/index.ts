#!/usr/bin/env node
import { isatty } from 'node:tty';
import { main } from './main.js';
import { shouldColor } from './text-style.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  interactive: process.stderr.isTTY && process.env['CI'] !== 'true',
  stdoutIsTerminal: isatty(1),
  color: shouldColor(process.env, isatty(1)),
});
