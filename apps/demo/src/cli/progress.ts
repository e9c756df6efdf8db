/**
 * Progress reporting for long commands: a redrawn bar with ETA on a terminal, plain periodic
 * lines when stderr is piped to a file or another program (so logs stay readable).
 */
import type { Writable } from 'node:stream';

/** Receives progress of one task. `fraction` runs from 0 to 1. */
export interface ProgressReporter {
  update(fraction: number, detail?: string): void;
  /** Ends the bar (or prints the last line) with an optional summary. */
  finish(detail?: string): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Redraw the bar (true) or print a line every `intervalMs` (false). */
  readonly interactive: boolean;
  /** Seconds between plain lines when not interactive. Default 5000 ms. */
  readonly intervalMs?: number;
  /** Injected clock, for tests. */
  readonly now?: () => number;
}

const BAR_WIDTH = 28;

/** Formats seconds as `42s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Starts reporting progress of the task called `label` on `stream`. */
export function createProgress(label: string, stream: Writable, options: ProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 5000;
  const started = now();
  let lastDraw = -Infinity;
  let finished = false;

  const describe = (fraction: number, detail?: string): string => {
    const elapsed = (now() - started) / 1000;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    const percent = `${(fraction * 100).toFixed(1).padStart(5)}%`;
    const timing = fraction >= 1 ? `in ${formatDuration(elapsed)}` : `ETA ${formatDuration(eta)}`;
    return `${percent} ${timing}${detail ? '  ' + detail : ''}`;
  };

  return {
    update(fraction, detail) {
      if (finished) return;
      const clamped = Math.min(1, Math.max(0, fraction));
      const t = now();
      if (options.interactive) {
        if (t - lastDraw < 100) return;
        lastDraw = t;
        const filled = Math.round(clamped * BAR_WIDTH);
        const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
        stream.write(`\r\x1b[K${label} ${bar} ${describe(clamped, detail)}`);
      } else {
        if (t - lastDraw < intervalMs) return;
        lastDraw = t;
        stream.write(`${label}: ${describe(clamped, detail)}\n`);
      }
    },
    finish(detail) {
      if (finished) return;
      finished = true;
      const elapsed = formatDuration((now() - started) / 1000);
      const text = `${label}: done in ${elapsed}${detail ? '  ' + detail : ''}`;
      stream.write(options.interactive ? `\r\x1b[K${text}\n` : `${text}\n`);
    },
  };
}
