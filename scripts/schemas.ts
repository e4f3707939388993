/** `npm run schemas`: regenerates schemas/*.schema.json from src/cli/documents.ts (see schema-gen.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemas, REPO } from './schema-gen.js';

for (const { file, text } of generateSchemas()) {
  writeFileSync(join(REPO, 'schemas', file), text);
  process.stdout.write(`schemas/${file}\n`);
}
