/**
 * Child-process entry of in-process methods: `node child.js <input-json>`. Each measured run gets
 * a fresh process, so peak memory and CPU time belong to that run alone. The report goes to stdout
 * as the last line, after the marker.
 */
import { getMethod, type RunInput } from './method';
import './methods/index';

import { REPORT_MARKER } from './report-line';

const [methodId, inputJson] = process.argv.slice(2);
if (!methodId || !inputJson) {
  process.stderr.write('usage: child.js <method-id> <input-json>\n');
  process.exit(2);
}
const method = getMethod(methodId);
if (method.runs !== 'in-process') throw new Error(`Method ${methodId} is not an in-process method.`);
const report = await method.train(JSON.parse(inputJson) as RunInput);
process.stdout.write(`\n${REPORT_MARKER}${JSON.stringify(report)}\n`);
