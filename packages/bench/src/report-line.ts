/** The one-line JSON report a child prints last, after a marker, on stdout. */
import type { RunReport } from './method';

export const REPORT_MARKER = '@@report ';

/** Reads the last report line of `stdout`; an empty report when there is none. */
export function parseReportLine(stdout: string): RunReport {
  const at = stdout.lastIndexOf(REPORT_MARKER);
  if (at < 0) return {};
  return JSON.parse(stdout.slice(at + REPORT_MARKER.length).split('\n')[0] ?? '{}') as RunReport;
}
