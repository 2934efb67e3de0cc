import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument } from './asyncapi';

describe('docs/asyncapi.json', () => {
  it('is the document the catalog generates (run `npm run docs:asyncapi` after changing an event)', () => {
    const committed = JSON.parse(readFileSync(path.resolve(__dirname, '../../../docs/asyncapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildAsyncApiDocument())));
  });
});
