/** Where and how progress is shown. */
export interface ProgressOptions {
  /** What is being profiled, for the lines. */
  label: string;
  /** Bytes the run will read. */
  totalBytes: number;
  write: (text: string) => void;
  /** A terminal: one line redrawn in place. Otherwise (a CI log): a few plain lines. */
  interactive: boolean;
  /** Milliseconds, monotonic (`performance.now` outside tests). */
  now: () => number;
}

/** Shows a profile's progress; `update` as often as wanted (it throttles itself), `finish` once. */
export interface ProgressReporter {
  update(progress: { bytes: number; rows: number }): void;
  finish(progress: { bytes: number; rows: number }): void;
}

/**
 * Progress of a long profile on stderr: on a terminal one line redrawn at most 10 times a second
 * (`rows, MB of MB, MB/s, time left`); in a log (not a terminal, or CI) a plain line at every further
 * quarter of the bytes, so a CI log gets at most four lines and a final one. Runs shorter than a second
 * print nothing but the final line on a terminal.
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const start = options.now();
  let lastDraw = start;
  let nextQuarter = 1;
  let drawn = false;
  const line = (bytes: number, rows: number, final: boolean): string => {
    const seconds = Math.max((options.now() - start) / 1000, 1e-3);
    const speed = bytes / 1e6 / seconds;
    const parts = [
      `${options.label}: ${rows.toLocaleString('en-US')} rows`,
      `${formatMegabytes(bytes)} of ${formatMegabytes(options.totalBytes)}`,
      `${speed.toFixed(speed >= 100 ? 0 : 1)} MB/s`,
    ];
    if (final) parts.push(`done in ${formatDuration(seconds)}`);
    else if (bytes > 0 && options.totalBytes > bytes) {
      parts.push(`${formatDuration(((options.totalBytes - bytes) / bytes) * seconds)} left`);
    }
    return parts.join(', ');
  };
  return {
    update({ bytes, rows }) {
      const now = options.now();
      if (options.interactive) {
        if (now - start < 1000 || now - lastDraw < 100) return;
        lastDraw = now;
        drawn = true;
        options.write(`\r\u001b[2K${line(bytes, rows, false)}`);
        return;
      }
      if (options.totalBytes === 0 || bytes < (options.totalBytes * nextQuarter) / 4 || nextQuarter > 3)
        return;
      while (nextQuarter <= 3 && bytes >= (options.totalBytes * nextQuarter) / 4) nextQuarter += 1;
      options.write(`${line(bytes, rows, false)}\n`);
    },
    finish({ bytes, rows }) {
      options.write(`${options.interactive && drawn ? '\r\u001b[2K' : ''}${line(bytes, rows, true)}\n`);
    },
  };
}

function formatMegabytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
