import { describe, expect, it } from 'vitest';
import { EmbedkitError, isEmbedkitError } from '../index';

describe('EmbedkitError', () => {
  it('keeps code, message and cause', () => {
    const cause = new Error('disk full');
    const error = new EmbedkitError('WRITE_FAILED', 'Could not write model.vec', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EmbedkitError');
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.message).toBe('Could not write model.vec');
    expect(error.cause).toBe(cause);
  });

  it('is recognised by code', () => {
    const error = new EmbedkitError('A', 'a');
    expect(isEmbedkitError(error)).toBe(true);
    expect(isEmbedkitError(error, 'A')).toBe(true);
    expect(isEmbedkitError(error, 'B')).toBe(false);
    expect(isEmbedkitError(new Error('x'))).toBe(false);
  });
});
