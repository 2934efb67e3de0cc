import { StreamableFile } from '@nestjs/common';
import { COMPACT_CONTENT_TYPE, COMPACT_FORMAT, compactPageText, type MilestonesPage } from '@commerce/contracts';
import type { MilestonesFormat } from '../query/milestones-query';

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A `GET /milestones` answer as the controller returns it: JSON bytes sent as they are (Nest would
 * serialize a Buffer as JSON of its bytes, and a string is encoded once more).
 */
export function milestonesResponse(body: Buffer | string, format: MilestonesFormat = 'full'): StreamableFile {
  const type = format === COMPACT_FORMAT ? COMPACT_CONTENT_TYPE : JSON_TYPE;
  return new StreamableFile(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, { type, length: Buffer.byteLength(body) });
}

/** A page derived live (the changes mode) in the form asked for. */
export function pageText(page: MilestonesPage, format: MilestonesFormat): string {
  return format === COMPACT_FORMAT ? compactPageText(page.service, page.items, page.nextCursor) : JSON.stringify(page);
}
