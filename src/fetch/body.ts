// Reads a response body through streaming decompression, counting bytes after decoding against the cap.
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { FetchError } from './errors.ts';

/** Waits for the first chunk of `stream` and puts it back, so a decoder can be chosen by its first bytes. */
function peekFirstByte(stream: Readable): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stream.pause();
      cleanup();
      stream.unshift(chunk);
      resolve(chunk[0]);
    };
    const onEnd = () => (cleanup(), resolve(undefined));
    const onError = (error: Error) => (cleanup(), reject(error));
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

/** A decoder for each content coding (RFC 9110 §8.4.1), chosen for the bytes `input` will deliver. */
async function createDecoder(coding: string, input: Readable): Promise<Duplex> {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate': {
      // "deflate" should be zlib-wrapped (RFC 9110 §8.4.1.2), but many servers send raw DEFLATE (RFC 1951).
      // A zlib stream's first byte has 8 in its low nibble (CM=8, RFC 1950 §2.2); otherwise decode it raw.
      const first = await peekFirstByte(input);
      return first !== undefined && (first & 0x0f) === 8 ? zlib.createInflate() : zlib.createInflateRaw();
    }
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new FetchError('FETCH_BAD_ENCODING', `unsupported Content-Encoding "${coding}"`);
  }
}

/**
 * Streams `body` through the decoders named by Content-Encoding and collects at most `maxBytes` decoded bytes.
 * Over the cap, everything is destroyed at once: a gzip or brotli bomb never gets buffered. The caller's
 * deadline destroys `body`, which ends the loop with an error.
 */
export async function readBody(body: Readable, contentEncoding: string | undefined, maxBytes: number): Promise<Uint8Array> {
  // Codings are listed in the order applied (RFC 9110 §8.4), so they are undone from the last to the first.
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity')
    .reverse();
  const decoders: Duplex[] = [];
  let stream: Readable = body;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (const coding of codings) {
      const source = stream;
      const decoder = await createDecoder(coding, source);
      decoders.push(decoder);
      source.on('error', (error) => decoder.destroy(error));
      stream = source.pipe(decoder);
    }
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new FetchError('FETCH_TOO_LARGE', `body exceeds the ${maxBytes}-byte cap (counted after decompression)`);
      }
      chunks.push(chunk);
    }
  } finally {
    // Destroying an undici body reports an AbortError; it is expected here, so it is swallowed.
    for (const stream of [body, ...decoders]) {
      stream.on('error', () => {});
      stream.destroy();
    }
  }
  // A Buffer is a Uint8Array; concatenating once avoids a second copy of up to max_body bytes.
  return Buffer.concat(chunks, total);
}
