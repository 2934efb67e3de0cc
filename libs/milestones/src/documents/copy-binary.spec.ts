import { CopyBinaryFormatError, CopyBinaryReader } from './copy-binary';

/** A binary COPY stream as Postgres writes it, of rows of text fields (null = NULL). */
function copyStream(rows: Array<Array<string | null>>): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const length = Buffer.alloc(4);
      if (field === null) {
        length.writeInt32BE(-1);
        parts.push(length);
      } else {
        const bytes = Buffer.from(field, 'utf8');
        length.writeInt32BE(bytes.length);
        parts.push(length, bytes);
      }
    }
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  parts.push(trailer);
  return Buffer.concat(parts);
}

function read(chunks: Buffer[]): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  const reader = new CopyBinaryReader((row) => {
    const fields = Array.from({ length: row.count }, (_, i) => row.text(i));
    // The other ways to take a field out say the same.
    for (let i = 0; i < row.count; i++) {
      expect(row.field(i)?.toString('utf8') ?? null).toBe(fields[i]);
      const copied = Buffer.alloc(row.length(i));
      expect(row.copyField(i, copied, 0)).toBe(row.length(i));
      expect(row.isNull(i) ? null : copied.toString('utf8')).toBe(fields[i]);
    }
    rows.push(fields);
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return rows;
}

const ROWS: Array<Array<string | null>> = [
  ['0001', '{"orderId":"0001","status":"CAPTURED"}'],
  ['0002', null],
  ['0003', '{"note":"Torstraße 1, ü"}'],
  ['0004', ''],
];

describe('CopyBinaryReader', () => {
  it('reads every row and NULL of a stream in one chunk', () => {
    expect(read([copyStream(ROWS)])).toEqual(ROWS);
  });

  it('reads the same rows however the stream is cut into chunks', () => {
    const stream = copyStream(ROWS);
    for (let size = 1; size <= 40; size++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) chunks.push(stream.subarray(at, at + size));
      expect(read(chunks)).toEqual(ROWS);
    }
  });

  it('refuses a stream that is not binary COPY, one cut before its trailer, and bytes after it', () => {
    expect(() => read([Buffer.from('0001\t{"a":1}\n'.repeat(3))])).toThrow(CopyBinaryFormatError);
    const stream = copyStream(ROWS);
    expect(() => read([stream.subarray(0, stream.length - 2)])).toThrow(/ended before its trailer/);
    expect(() => read([stream, Buffer.from('x')])).toThrow(/after the trailer/);
  });
});
