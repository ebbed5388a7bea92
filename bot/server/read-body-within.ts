import type { IncomingMessage } from 'node:http';

/**
 * Reads a request's body while it stays within `maxBytes`: all of its bytes, or `undefined` as soon as
 * more arrive than that. Over the cap, the chunks read so far are dropped and the request is paused, so
 * no more of it is read; a body sent in chunks (no `content-length`) is counted the same way. Rejects
 * when the request fails or is aborted before its end.
 * @example await readBodyWithin(request, 25 * 1024 * 1024) // Buffer, or undefined past 25 MiB
 */
export function readBodyWithin(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let length = 0;
    const stop = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      request.pause();
      chunks = [];
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, length));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(new Error(`the request was closed after ${length} bytes of its body`));
    };
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
