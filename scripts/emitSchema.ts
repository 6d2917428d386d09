// Writes schema.graphql from the code-first schema; test/unit/schema.test.ts fails when it drifts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/projectRoot';
import { buildLabelgateSchema, printLabelgateSchema } from '../src/graphql/schema';

buildLabelgateSchema()
  .then((schema) => {
    writeFileSync(join(projectRoot, 'schema.graphql'), printLabelgateSchema(schema));
    console.log('schema.graphql written');
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
