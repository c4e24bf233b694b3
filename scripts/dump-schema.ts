import { writeFileSync } from 'node:fs';
import { SCHEMA_FILE, dumpMigratedSchema } from '../shared/db/schema-dump.js';

// Regenerates shared/db/schema.sql from the migrations (needs pg_dump and a PostgreSQL server).
const server = process.env.DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
writeFileSync(SCHEMA_FILE, await dumpMigratedSchema(server));
console.log(`wrote ${SCHEMA_FILE}`);
