// npm run docs:asyncapi — regenerates docs/asyncapi.json from the event catalog.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument } from '@commerce/contracts';

const target = path.resolve(__dirname, '../../docs/asyncapi.json');
writeFileSync(target, `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
