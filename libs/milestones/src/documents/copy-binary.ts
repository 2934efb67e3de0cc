/**
 * A reader of Postgres' binary COPY format (`COPY ... TO STDOUT (FORMAT binary)`): the 19-byte
 * header, then per row a 16-bit field count and each field as a 32-bit length (-1 for NULL) and
 * its bytes, then a count of -1. Fed the stream's chunks as they come (a row may span chunks), it
 * hands each row over as positions in the chunk (`CopyRow`), so bytes the caller only passes on
 * are never decoded, and copied at most once, into what the caller builds.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_LENGTH = SIGNATURE.length + 8; // flags, header extension length (0)

export class CopyBinaryFormatError extends Error {
  constructor(message: string) {
    super(`COPY binary stream: ${message}`);
    this.name = 'CopyBinaryFormatError';
  }
}

/**
 * The row being read: its fields as positions in `source` (valid only during the callback: the
 * reader reuses it for the next row, so a row costs no allocation unless a field is taken out).
 */
export class CopyRow {
  source: Buffer = Buffer.alloc(0);
  count = 0;
  /** Field i spans starts[i]..ends[i] of `source`; starts[i] = -1 for NULL. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  isNull(i: number): boolean {
    return this.starts[i] === -1;
  }

  /** Field i as a Buffer sharing the source's memory (null for NULL). */
  field(i: number): Buffer | null {
    return this.starts[i] === -1 ? null : this.source.subarray(this.starts[i], this.ends[i]);
  }

  /** Field i as text (null for NULL). */
  text(i: number): string | null {
    return this.starts[i] === -1 ? null : this.source.toString('utf8', this.starts[i], this.ends[i]);
  }

  /** Copies field i's bytes into `target` at `at` (nothing for NULL); the bytes written. */
  copyField(i: number, target: Buffer, at: number): number {
    return this.starts[i] === -1 ? 0 : this.source.copy(target, at, this.starts[i], this.ends[i]);
  }

  length(i: number): number {
    return this.starts[i] === -1 ? 0 : this.ends[i] - this.starts[i];
  }
}

export class CopyBinaryReader {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private ended = false;
  private readonly row = new CopyRow();

  constructor(private readonly onRow: (row: CopyRow) => void) {}

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
    const row = this.row;
    row.source = buffer;
    for (;;) {
      if (this.ended || buffer.length - at < 2) break;
      const count = buffer.readInt16BE(at);
      if (count === -1) {
        this.ended = true;
        at += 2;
        break;
      }
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
          row.starts[i] = -1;
          row.ends[i] = -1;
          continue;
        }
        if (buffer.length - cursor < length) {
          complete = false;
          break;
        }
        row.starts[i] = cursor;
        row.ends[i] = cursor + length;
        cursor += length;
      }
      if (!complete) break;
      row.count = count;
      this.onRow(row);
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
