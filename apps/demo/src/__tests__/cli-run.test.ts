import { EmbedkitError } from '@embedkit/errors';
import { describe, expect, it } from 'vitest';
import type { Command, CommandGroup } from '../cli/command';
import { helpText } from '../cli/args';
import { runCli } from '../cli/run';
import { captureIo } from './io';


const seen: unknown[] = [];
const train: Command = {
  name: 'train',
  summary: 'Train something.',
  style: 'c',
  options: [
    { name: 'train', type: 'string', description: 'Input file', required: true, valueName: 'FILE' },
    { name: 'size', type: 'integer', description: 'Dimensions', default: 100, min: 1, max: 10000 },
    { name: 'sample', type: 'number', description: 'Subsampling threshold', default: 1e-3, min: 0 },
    { name: 'cbow', type: 'choice', description: 'Model', default: '1', choices: ['0', '1'] },
    { name: 'similarity', type: 'list', description: 'Files' },
    { name: 'json', type: 'flag', description: 'JSON output' },
  ],
  async run(args) {
    seen.push({
      train: args.string('train'),
      size: args.number('size'),
      sample: args.number('sample'),
      cbow: args.string('cbow'),
      similarity: args.list('similarity'),
      json: args.flag('json'),
      sizeGiven: args.given('size'),
    });
    if (args.string('train') === 'fail') throw new EmbedkitError('FILE_NOT_FOUND', 'No such file: fail');
    if (args.string('train') === 'crash') throw new Error('boom');
  },
};
const group: CommandGroup = { name: 'item2vec', summary: 'Items.', subcommands: [{ ...train, name: 'fit' }] };
const commands = [train, group];

describe('runCli', () => {
  it('parses C-style and GNU-style options with defaults and types', async () => {
    seen.length = 0;
    const io = captureIo();
    const code = await runCli(
      ['train', '-train', 'a.txt', '--sample=1e-4', '-cbow', '0', '--similarity', 'x', '-similarity', 'y', '--json'],
      commands,
      io.context,
    );
    expect(code).toBe(0);
    expect(seen[0]).toEqual({
      train: 'a.txt', size: 100, sample: 1e-4, cbow: '0', similarity: ['x', 'y'], json: true, sizeGiven: false,
    });
  });

  it('refuses unknown flags and bad values with exit code 2, naming the flag and allowed values', async () => {
    let io = captureIo();
    expect(await runCli(['train', '-train', 'a', '-window', '5'], commands, io.context)).toBe(2);
    expect(io.err()).toContain("Unknown option '-window'");
    io = captureIo();
    expect(await runCli(['train', '-train', 'a', '-cbow', '2'], commands, io.context)).toBe(2);
    expect(io.err()).toContain("Invalid value '2' for -cbow: allowed values are 0, 1");
    io = captureIo();
    expect(await runCli(['train', '-train', 'a', '-size', '0'], commands, io.context)).toBe(2);
    expect(io.err()).toContain('-size is out of range: expected an integer from 1 to 10000');
    io = captureIo();
    expect(await runCli(['train', '-train', 'a', '-size', '1.5'], commands, io.context)).toBe(2);
    expect(io.err()).toContain("Invalid value '1.5' for -size");
    io = captureIo();
    expect(await runCli(['train'], commands, io.context)).toBe(2);
    expect(io.err()).toContain('Missing required option -train');
    io = captureIo();
    expect(await runCli(['nope'], commands, io.context)).toBe(2);
    expect(io.err()).toContain("unknown command 'nope'");
  });

  it('shows package errors as one line with exit code 1, details with --verbose', async () => {
    let io = captureIo();
    expect(await runCli(['train', '-train', 'fail'], commands, io.context)).toBe(1);
    expect(io.err().trim()).toBe('embedkit: No such file: fail [FILE_NOT_FOUND]');
    io = captureIo();
    expect(await runCli(['train', '-train', 'crash', '--verbose'], commands, io.context)).toBe(1);
    expect(io.err()).toContain('embedkit: boom');
    expect(io.err()).toContain('at ');
  });

  it('prints help with defaults for commands and groups', async () => {
    let io = captureIo();
    expect(await runCli(['train', '--help'], commands, io.context)).toBe(0);
    expect(io.out()).toBe(helpText(train));
    expect(io.out()).toContain('-size N');
    expect(io.out()).toContain('(default: 100)');
    expect(io.out()).toContain('-cbow 0|1');
    io = captureIo();
    expect(await runCli(['item2vec', '--help'], commands, io.context)).toBe(0);
    expect(io.out()).toContain('fit');
    io = captureIo();
    expect(await runCli(['item2vec', 'fit', '-train', 'a'], commands, io.context)).toBe(0);
    io = captureIo();
    expect(await runCli([], commands, io.context)).toBe(2);
    expect(io.out()).toContain('Commands:');
  });
});
