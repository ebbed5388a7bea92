import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { SourceError } from '../model/errors.js';

/** Reads the blobs of one repository through long-lived `git cat-file --batch` processes. */
export interface BlobReader {
  /** The blob's bytes; rejects with `SourceError('git-failed')` when git cannot read it (a missing object). */
  read(blob: string): Promise<Buffer>;
  /**
   * The blob's bytes as a stream, never holding more than a pipe's worth in memory. It fails with
   * `SourceError('git-failed')` rather than ending short when git cannot read the object.
   */
  stream(blob: string): Readable;
  /** Ends every idle process (git exits once its input closes); a process still reading ends after. */
  close(): void;
}

/** What one request does with git's answer; the callbacks run in this order, one of the last two once. */
interface Job {
  readonly blob: string;
  /** The object's size once git has named it, or `undefined` when git says it is missing. */
  onHeader(size: number | undefined): void;
  /** A piece of the content; `false` asks git's output to pause until {@link Batch.resume}. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  onError(error: SourceError): void;
}

/** One `git cat-file --batch` process: one request at a time, answered in its framing. */
interface Batch {
  start(job: Job): void;
  resume(): void;
  /** Drops the rest of the current object (its reader went away): discarded when short, else the process ends. */
  abandon(): void;
  end(): void;
  /** Whether git is still running (a process that exited is never used again). */
  isAlive(): boolean;
}

/** How much of an abandoned object is read and dropped to keep its process; past it the process is ended. */
const DISCARD_LIMIT = 1 << 20;
/** How long a process may wait unused before it is ended. */
const IDLE_MS = 2000;
/** How many unused processes are kept for the next reads. */
const MAX_IDLE = 4;
/** A header line is `<oid> <type> <size>`; anything longer is not git's framing. */
const MAX_HEADER = 1024;

/**
 * Opens a pool of `git cat-file --batch` processes in `root`: each read takes an idle process or starts
 * one, so a reader that holds one stream open while it reads another file never waits on itself. One
 * process serves thousands of reads where `git cat-file blob` would start one process per file.
 * @example const blobs = createBlobReader(root); const bytes = await blobs.read(oid); blobs.close();
 */
export function createBlobReader(root: string): BlobReader {
  const idle: { batch: Batch; timer: NodeJS.Timeout }[] = [];

  const release = (batch: Batch): void => {
    if (!batch.isAlive()) return;
    if (idle.length >= MAX_IDLE) {
      batch.end();
      return;
    }
    const timer = setTimeout(() => {
      const at = idle.findIndex((entry) => entry.batch === batch);
      if (at >= 0) idle.splice(at, 1);
      batch.end();
    }, IDLE_MS);
    // An unused process never keeps the program alive: it ends with it, when its input closes.
    timer.unref();
    idle.push({ batch, timer });
  };

  const acquire = (): Batch => {
    // A process that exited while idle (killed from outside) is passed over, not handed a read to fail.
    for (let entry = idle.pop(); entry; entry = idle.pop()) {
      clearTimeout(entry.timer);
      if (entry.batch.isAlive()) return entry.batch;
    }
    const batch: Batch = startBatch(root, () => release(batch));
    return batch;
  };

  return {
    read: (blob) => readBlob(acquire(), blob),
    stream: (blob) => streamBlob(acquire(), blob),
    close: () => {
      for (const { batch, timer } of idle.splice(0)) {
        clearTimeout(timer);
        batch.end();
      }
    },
  };
}

/** Reads one whole blob into a buffer of its size. */
function readBlob(batch: Batch, blob: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    let content = Buffer.alloc(0);
    let filled = 0;
    batch.start({
      blob,
      onHeader: (size) => {
        if (size === undefined) fail(missing(blob));
        else content = Buffer.allocUnsafe(size);
      },
      onData: (chunk) => {
        filled += chunk.copy(content, filled);
        return true;
      },
      onEnd: () => done(content),
      onError: fail,
    });
  });
}

/** Streams one blob, pausing git while the reader is behind; a reader that stops early frees the process. */
function streamBlob(batch: Batch, blob: string): Readable {
  const out = new PassThrough();
  let finished = false;
  const stop = (error?: SourceError): void => {
    finished = true;
    if (error) out.destroy(error);
    else out.end();
  };
  batch.start({
    blob,
    onHeader: (size) => {
      if (size === undefined) stop(missing(blob));
    },
    onData: (chunk) => out.write(chunk),
    onEnd: () => stop(),
    onError: stop,
  });
  out.on('drain', () => batch.resume());
  out.on('close', () => {
    if (!finished) batch.abandon();
  });
  return out;
}

function missing(blob: string): SourceError {
  return new SourceError(`git cat-file: the object ${blob} is missing from the repository`, 'git-failed');
}

/**
 * Starts one `git cat-file --batch` and reads its framing: for each requested oid a header line,
 * `<oid> blob <size>` then `<size>` bytes and a newline, or `<oid> missing`.
 */
// One closure over one process's framing state; splitting it would pass that state around.
// eslint-disable-next-line max-lines-per-function
function startBatch(root: string, onIdle: () => void): Batch {
  const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const pipes = [child.stdin, child.stdout, child.stderr] as unknown as Socket[];
  // The process and its pipes hold the program open only while a read waits on them (see hold()).
  child.unref();
  let job: Job | undefined;
  let phase: 'header' | 'body' | 'newline' = 'header';
  let header = Buffer.alloc(0);
  let remaining = 0;
  let exited = false;
  let stderr = '';

  const hold = (busy: boolean): void => {
    for (const pipe of pipes) {
      if (busy) pipe.ref();
      else pipe.unref();
    }
  };
  const fail = (reason: string): void => {
    const failed = job;
    job = undefined;
    failed?.onError(new SourceError(`git cat-file ${failed.blob} failed: ${reason}`, 'git-failed'));
    if (!exited) child.kill();
  };
  const finish = (): void => {
    const done = job;
    job = undefined;
    phase = 'header';
    hold(false);
    child.stdout.resume();
    done?.onEnd();
    if (!exited) onIdle();
  };
  const readHeader = (chunk: Buffer, offset: number): number => {
    const newline = chunk.indexOf(10, offset);
    const end = newline < 0 ? chunk.length : newline;
    header = Buffer.concat([header, chunk.subarray(offset, end)]);
    if (header.length > MAX_HEADER) fail('its output is not cat-file --batch framing');
    if (newline < 0 || !job) return chunk.length;
    const line = header.toString('latin1');
    const [, type, size] = line.split(' ');
    header = Buffer.alloc(0);
    if (type === 'missing' || type === 'ambiguous') {
      job.onHeader(undefined);
      job = undefined;
      finish();
      return newline + 1;
    }
    remaining = Number(size);
    if (type !== 'blob' || !Number.isSafeInteger(remaining) || remaining < 0) {
      fail(`unexpected answer "${line.slice(0, 200)}"`);
      return chunk.length;
    }
    job.onHeader(remaining);
    phase = 'body';
    return newline + 1;
  };
  const readBody = (chunk: Buffer, offset: number): number => {
    const length = Math.min(remaining, chunk.length - offset);
    remaining -= length;
    if (remaining === 0) phase = 'newline';
    if (length > 0 && job && !job.onData(chunk.subarray(offset, offset + length))) child.stdout.pause();
    return offset + length;
  };

  child.stdout.on('data', (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length && job) {
      if (phase === 'header') offset = readHeader(chunk, offset);
      else if (phase === 'body') offset = readBody(chunk, offset);
      else if (chunk[offset] === 10) {
        offset += 1;
        finish();
      } else {
        fail('an object did not end where its size said');
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  // git may exit before reading a request (a broken repository); its exit says why.
  child.stdin.on('error', () => undefined);
  child.on('error', (error) => {
    exited = true;
    fail(error.message);
  });
  child.on('close', (code, signal) => {
    exited = true;
    fail(stderr.trim() || `git stopped by ${signal ?? `exit code ${code}`}`);
  });

  return {
    start: (next) => {
      job = next;
      phase = 'header';
      hold(true);
      if (exited) fail('git is no longer running');
      else child.stdin.write(`${next.blob}\n`);
    },
    resume: () => child.stdout.resume(),
    abandon: () => {
      if (!job) return;
      if (phase === 'body' && remaining > DISCARD_LIMIT) {
        job = undefined;
        child.kill();
        return;
      }
      const blob = job.blob;
      job = {
        blob,
        onHeader: () => undefined,
        onData: () => true,
        onEnd: () => undefined,
        onError: () => undefined,
      };
      child.stdout.resume();
    },
    end: () => {
      hold(false);
      child.stdin.end();
    },
    isAlive: () => !exited,
  };
}
