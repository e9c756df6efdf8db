import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from '../cli/progress';

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('prints plain periodic lines with an ETA when not on a terminal', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c) => (text += c));
    let clock = 0;
    const progress = createProgress('train', stream, { interactive: false, intervalMs: 1000, now: () => clock });
    clock = 10_000;
    progress.update(0.25, 'alpha 0.02');
    clock = 10_500;
    progress.update(0.3); // within the interval: not printed
    clock = 20_000;
    progress.update(0.5);
    progress.finish('ok');
    const lines = text.trimEnd().split('\n');
    expect(lines).toEqual(['train:  25.0% ETA 30s  alpha 0.02', 'train:  50.0% ETA 20s', 'train: done in 20s  ok']);
  });
});
