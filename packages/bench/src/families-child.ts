/**
 * Child-process entry of the families comparison: `node families-child.js PLAN.json ROW-ID`
 * builds and measures one row, so that its CPU time and peak memory are its own. Progress lines
 * go to stderr, the result to stdout after the report marker.
 */
import { childMain } from './families/run';

await childMain(process.argv.slice(2));
