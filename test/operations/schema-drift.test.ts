import { readFileSync } from 'node:fs';
import t from 'tap';
import { SCHEMA_FILE, dumpMigratedSchema, normaliseDump } from '../../shared/db/schema-dump.js';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

t.test('shared/db/schema.sql is what the migrations add up to', async (t) => {
  const generated = await dumpMigratedSchema(`${SERVER}/postgres`);
  const committed = readFileSync(SCHEMA_FILE, 'utf8');
  t.ok(generated.includes('CREATE TABLE public.flag_state'), 'the dump holds the schema');
  t.equal(committed, generated, 'schema.sql is up to date: run `npm run db:schema` and commit it');
});

t.test('the dump drops only what changes between runs', async (t) => {
  const dump = '--\n\\restrict abc\n-- Dumped from database version 15\n-- Dumped by pg_dump version 15\nCREATE TABLE public.x ();\n\\unrestrict abc\n';
  const normalised = normaliseDump(dump);
  t.notMatch(normalised, /restrict|Dumped/);
  t.match(normalised, /CREATE TABLE public\.x \(\);\n$/);
});
