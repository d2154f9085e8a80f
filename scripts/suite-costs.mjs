#!/usr/bin/env node
// Writes test/support/suite-costs.json, the order the test files start in on a machine with no
// vitest cache (a fresh clone, CI; test/support/cost-sequencer.ts), from a vitest JSON report:
//   npm run test:costs            runs the whole suite with a JSON report, then this
//   node scripts/suite-costs.mjs REPORT.json
// Each file's cost is its wall time in that run, in seconds.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const [reportPath] = process.argv.slice(2);
if (!reportPath) {
  console.error('suite-costs: give the vitest JSON report to read, e.g. node scripts/suite-costs.mjs build/suite-report.json');
  process.exit(2);
}
let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (err) {
  console.error(`suite-costs: cannot read ${reportPath} as a vitest JSON report (${err.message}); write one with --reporter=json --outputFile.json=${reportPath}`);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Object.fromEntries(
  report.testResults
    .map((file) => [relative(root, file.name), Math.round((file.endTime - file.startTime) / 100) / 10])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
const out = new URL('../test/support/suite-costs.json', import.meta.url);
const table = {
  generated: {
    by: `node scripts/suite-costs.mjs ${reportPath}`,
    date: new Date().toISOString(),
    machine: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node.js ${process.version}`,
    files: Object.keys(seconds).length,
    success: report.success,
  },
  seconds,
};
writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`);
console.log(`suite-costs: wrote ${fileURLToPath(out)} (${table.generated.files} files)`);
