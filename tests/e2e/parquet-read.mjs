// An independent Parquet reader (hyparquet, pure JavaScript) over a `qa-ingest export parquet`
// folder: prints, as one JSON object, each table's row count (summed over its files), the rows per
// council partition of fact_audit, and how many audits are Good or better.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parquetReadObjects } from 'hyparquet';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node parquet-read.mjs EXPORT_DIR');
  process.exit(2);
}

async function* files(folder) {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.parquet')) yield path;
  }
}

const tables = {};
const auditsByCouncil = {};
let goodOrBetter = 0;
for await (const path of files(dir)) {
  const table = relative(dir, path).split(sep)[0].replace(/\.parquet$/, '');
  const bytes = await readFile(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const rows = await parquetReadObjects({ file });
  tables[table] = (tables[table] ?? 0) + rows.length;
  if (table === 'fact_audit') {
    const council = /la_code=([^/\\]+)/.exec(path)?.[1] ?? 'none';
    auditsByCouncil[council] = (auditsByCouncil[council] ?? 0) + rows.length;
    goodOrBetter += rows.filter((r) => r.is_good_or_better === true).length;
    if (rows.some((r) => 'child_id' in r)) throw new Error(`${path} has a child_id column`);
  }
}
console.log(JSON.stringify({ tables, auditsByCouncil, goodOrBetter }));
