// Reads a Parquet export with DuckDB and compares it with the same archive
// exported as JSON Lines: one row per article, the same ids, titles,
// languages, times (as timestamps), topics and matches, and the README's
// example query runs. Used by .ci/run:
//
//	node .ci/parquet-duckdb.cjs archive.parquet archive.jsonl
//
// with NODE_PATH naming a node_modules that holds @duckdb/node-api.
'use strict';
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [parquetPath, jsonlPath] = process.argv.slice(2);
  if (!parquetPath || !jsonlPath) throw new Error('usage: parquet-duckdb.cjs FILE.parquet FILE.jsonl');
  const want = fs.readFileSync(jsonlPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const file = `'${parquetPath.replaceAll("'", "''")}'`;
  const query = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS();

  const problems = [];
  const types = (await query(`SELECT typeof(published) AS p, typeof(fetched) AS f, typeof(topics) AS t, typeof(matches) AS m FROM ${file} LIMIT 1`))[0];
  for (const [col, got] of [['published', types.p], ['fetched', types.f]]) {
    if (!got.startsWith('TIMESTAMP')) problems.push(`column ${col} is ${got}, want a TIMESTAMP`);
  }
  if (types.t !== 'VARCHAR[]') problems.push(`column topics is ${types.t}, want VARCHAR[]`);
  if (!types.m.startsWith('STRUCT(')) problems.push(`column matches is ${types.m}, want a list of STRUCT`);

  const rows = await query(`SELECT id, title, lang, epoch_ms(published) AS published, epoch_ms(fetched) AS fetched,
      topics, len(matches) AS matches FROM ${file}`);
  if (rows.length !== want.length || want.length === 0) {
    problems.push(`${rows.length} rows, ${want.length} articles in the JSON Lines export`);
  }
  const byID = new Map(rows.map((r) => [r.id, r]));
  for (const w of want) {
    const r = byID.get(w.id);
    if (!r) { problems.push(`article ${w.id} (${w.url}) is not in the Parquet file`); continue; }
    const ms = (t) => (t == null ? null : Date.parse(t));
    const diffs = [];
    if (r.title !== w.title) diffs.push(`title ${JSON.stringify(r.title)} != ${JSON.stringify(w.title)}`);
    if (r.lang !== w.lang) diffs.push(`lang ${r.lang} != ${w.lang}`);
    if ((r.published == null ? null : Number(r.published)) !== ms(w.published)) diffs.push(`published ${r.published} != ${w.published}`);
    if (Number(r.fetched) !== ms(w.fetched)) diffs.push(`fetched ${r.fetched} != ${w.fetched}`);
    if (JSON.stringify(r.topics) !== JSON.stringify(w.topics)) diffs.push(`topics ${r.topics} != ${w.topics}`);
    if (Number(r.matches) !== (w.matches || []).length) diffs.push(`${r.matches} matches != ${(w.matches || []).length}`);
    if (diffs.length) problems.push(`article ${w.id}: ${diffs.join('; ')}`);
  }
  const byLang = await query(`SELECT lang, count(*) AS n FROM ${file}, unnest(topics) t GROUP BY lang ORDER BY lang`);
  if (problems.length) {
    console.error(`DuckDB reads ${parquetPath} differently from the JSON Lines export:\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exit(1);
  }
  console.log(`DuckDB read ${rows.length} rows, equal to the JSON Lines export; topic hits by language: ${byLang.map((r) => `${r.lang} ${r.n}`).join(', ')}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
