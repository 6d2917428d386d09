import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';
import { buildLabelgateSchema, printLabelgateSchema } from '../../src/graphql/schema';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:emit` after changing it)', async () => {
    const committed = readFileSync(join(projectRoot, 'schema.graphql'), 'utf8');
    expect(printLabelgateSchema(await buildLabelgateSchema())).toBe(committed);
  });
});
