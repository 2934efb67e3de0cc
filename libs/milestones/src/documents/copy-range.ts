import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CopyBinaryFormatError, CopyBinaryReader, type CopyRow } from './copy-binary';

/**
 * Runs `COPY (<select>) TO STDOUT (FORMAT binary)` of rows of an orderId and a document (NULL where
 * there is none or it is not current) on `client`, handing each row over as it arrives, read in
 * place (copy-binary.ts).
 */
export function copyDocumentRows(client: PoolClient, select: string, onRow: (row: CopyRow) => void): Promise<void> {
  const reader = new CopyBinaryReader((row) => {
    if (row.count !== 2 || row.isNull(0)) throw new CopyBinaryFormatError('a row that is not an orderId and a document');
    onRow(row);
  });
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`));
    stream.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        stream.destroy(error as Error);
      }
    });
    stream.on('error', reject);
    stream.on('end', () => {
      try {
        reader.end();
        resolve();
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}
