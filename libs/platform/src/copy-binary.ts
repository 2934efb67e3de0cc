/**
 * A reader of Postgres' binary COPY format (`COPY ... TO STDOUT (FORMAT binary)`): the 19-byte
 * header, then per row a 16-bit field count and each field as a 32-bit length (-1 for NULL) and
 * its bytes, then a count of -1. Fed the stream's chunks as they come (a row may span chunks), it
 * hands each row's fields as Buffers that share the chunk's memory, so bytes the caller only
 * passes on are never copied or decoded.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_LENGTH = SIGNATURE.length + 8; // flags, header extension length (0)

export class CopyBinaryFormatError extends Error {
  constructor(message: string) {
    super(`COPY binary stream: ${message}`);
    this.name = 'CopyBinaryFormatError';
  }
}

export class CopyBinaryReader {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private ended = false;

  constructor(private readonly onRow: (fields: Array<Buffer | null>) => void) {}

  /** Reads the rows complete in what has arrived; keeps the rest for the next chunk. */
  push(chunk: Buffer): void {
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    if (!this.headerRead) {
      if (buffer.length < HEADER_LENGTH) {
        this.pending = buffer;
        return;
      }
      if (!buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new CopyBinaryFormatError('no PGCOPY signature');
      const extension = buffer.readUInt32BE(SIGNATURE.length + 4);
      if (extension !== 0) throw new CopyBinaryFormatError('header extensions are not read');
      this.headerRead = true;
      at = HEADER_LENGTH;
    }
    for (;;) {
      if (this.ended || buffer.length - at < 2) break;
      const count = buffer.readInt16BE(at);
      if (count === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      const fields: Array<Buffer | null> = [];
      let cursor = at + 2;
      let complete = true;
      for (let i = 0; i < count; i++) {
        if (buffer.length - cursor < 4) {
          complete = false;
          break;
        }
        const length = buffer.readInt32BE(cursor);
        cursor += 4;
        if (length === -1) {
          fields.push(null);
          continue;
        }
        if (buffer.length - cursor < length) {
          complete = false;
          break;
        }
        fields.push(buffer.subarray(cursor, cursor + length));
        cursor += length;
      }
      if (!complete) break;
      this.onRow(fields);
      at = cursor;
    }
    this.pending = at === buffer.length ? Buffer.alloc(0) : buffer.subarray(at);
  }

  /** Throws unless the stream ended with its trailer and nothing after it. */
  end(): void {
    if (!this.ended) throw new CopyBinaryFormatError('ended before its trailer');
    if (this.pending.length > 0) throw new CopyBinaryFormatError(`${this.pending.length} bytes after the trailer`);
  }
}
