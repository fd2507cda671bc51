// An independent client for the QaAnalytics service: npm's gRPC stack and Arrow decoder, nothing
// shared with the .NET code that wrote the bytes. It calls GetCatalogue, GetGradeDistribution and Query,
// reassembles each table's chunks into one Arrow IPC stream, decodes it with apache-arrow, and
// prints one JSON object on stdout. Any failure goes to stderr with a non-zero exit code.
//
//   node tests/e2e/client.mjs --address 127.0.0.1:5080 [--deadline-seconds 20]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { tableFromIPC } from 'apache-arrow';

const protoRoot = fileURLToPath(new URL('../../proto/', import.meta.url));

function fail(message) {
  process.stderr.write(`e2e client: ${message}\n`);
  process.exit(1);
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        address: { type: 'string' },
        'deadline-seconds': { type: 'string', default: '20' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${error.message}\nusage: node client.mjs --address HOST:PORT [--deadline-seconds N]`);
  }
  if (!values.address) fail('--address HOST:PORT is required');
  const deadlineSeconds = Number(values['deadline-seconds']);
  if (!(deadlineSeconds > 0)) fail(`--deadline-seconds must be a positive number, not '${values['deadline-seconds']}'`);
  return { address: values.address, deadlineSeconds };
}

function loadClient(address) {
  // keepCase: field names as in the proto (arrow_ipc_chunk, snapshot_id). protobufjs resolves
  // google/protobuf/timestamp.proto from its bundled well-known types; includeDirs finds our files.
  const definition = protoLoader.loadSync('qaanalytics/v1/qa_analytics.proto', {
    includeDirs: [protoRoot],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const QaAnalytics = grpc.loadPackageDefinition(definition).qaanalytics?.v1?.QaAnalytics;
  if (typeof QaAnalytics !== 'function') fail(`service qaanalytics.v1.QaAnalytics not found in ${protoRoot}`);
  return new QaAnalytics(address, grpc.credentials.createInsecure());
}

// Chunks of one table, in order, until the next chunk that carries metadata.
async function readTables(call) {
  const tables = [];
  for await (const chunk of call) {
    if (chunk.metadata) tables.push({ metadata: chunk.metadata, parts: [] });
    if (tables.length === 0) throw new Error('the first chunk of the stream carries no metadata');
    tables.at(-1).parts.push(chunk.arrow_ipc_chunk);
  }
  return tables.map(({ metadata, parts }) => {
    const bytes = Buffer.concat(parts);
    const table = tableFromIPC(bytes);
    return {
      table: metadata.table,
      snapshot_id: metadata.snapshot_id,
      snapshot_created_at: timestamp(metadata.snapshot_created_at),
      row_count: toNumber(BigInt(metadata.row_count)),
      notes: metadata.notes,
      chunks: parts.length,
      ipc_bytes: bytes.length,
      decoded_rows: table.numRows,
      columns: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
      rows: rows(table),
    };
  });
}

function rows(table) {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((name) => table.getChild(name));
  const result = [];
  for (let i = 0; i < table.numRows; i++) {
    const row = {};
    names.forEach((name, c) => { row[name] = plain(columns[c].get(i)); });
    result.push(row);
  }
  return result;
}

// Values as JSON can carry them: Int64 arrives as BigInt, dates as epoch milliseconds (or Date).
function plain(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return toNumber(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

function toNumber(big) {
  const number = Number(big);
  if (!Number.isSafeInteger(number)) throw new Error(`integer ${big} does not fit a JS number exactly`);
  return number;
}

function timestamp(ts) {
  if (!ts) return null;
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString();
}

async function main() {
  const { address, deadlineSeconds } = options();
  const client = loadClient(address);
  const deadline = () => Date.now() + deadlineSeconds * 1000;
  try {
    const catalogue = await readTables(client.GetCatalogue({}, { deadline: deadline() }));
    const grades = await readTables(client.GetGradeDistribution(
      { group_by: 'ORG_LEVEL_TEAM', grain: 'TIME_GRAIN_FINANCIAL_QUARTER' },
      { deadline: deadline() },
    ));
    const query = await readTables(client.Query(
      { measures: ['kpi_rate'], dimensions: ['kpi_code'], group_by: 'ORG_LEVEL_TEAM', grain: 'TIME_GRAIN_ALL' },
      { deadline: deadline() },
    ));
    process.stdout.write(`${JSON.stringify({ address, catalogue, grade_distribution: grades, query })}\n`);
  } finally {
    client.close();
  }
}

main().catch((error) => {
  const status = error.code !== undefined ? ` (gRPC status ${grpc.status[error.code] ?? error.code})` : '';
  fail(`${error.message}${status}`);
});
