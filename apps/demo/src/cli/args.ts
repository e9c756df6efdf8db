/**
 * Argument parsing for `embedkit` commands, driven by each command's {@link OptionSpec} list.
 *
 * Both `-name value` (the C word2vec tool's style) and `--name value` / `--name=value` are
 * accepted for every option. Every problem is a {@link UsageError} naming the flag and what is
 * allowed; the dispatcher prints it and exits with code 2.
 */
import type { Command, OptionSpec } from './command';

/** A mistake in how a command was called: exit code 2, message shown as is. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionValue = string | number | string[] | boolean;

/** The validated arguments of one command call, read through typed getters. */
export class ParsedArgs {
  constructor(
    private readonly values: ReadonlyMap<string, OptionValue>,
    /** Positional arguments, in order. */
    readonly positionals: readonly string[],
  ) {}

  /** True when the user gave the option (defaults do not count). */
  given(name: string): boolean {
    return this.values.has(name) && !this.defaulted.has(name);
  }

  /** @internal names whose value came from the declared default. */
  readonly defaulted = new Set<string>();

  string(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  requireString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new UsageError(`Missing required option --${name}.`);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.values.get(name);
    return typeof value === 'number' ? value : undefined;
  }

  requireNumber(name: string): number {
    const value = this.number(name);
    if (value === undefined) throw new UsageError(`Missing required option --${name}.`);
    return value;
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  list(name: string): string[] {
    const value = this.values.get(name);
    return Array.isArray(value) ? [...value] : [];
  }
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The option as written in this command's style: `-min-count` or `--min-count`. */
export function flagText(command: Command, option: OptionSpec): string {
  return `${command.style === 'c' ? '-' : '--'}${option.name}`;
}

function convert(command: Command, option: OptionSpec, raw: string): OptionValue {
  const flag = flagText(command, option);
  switch (option.type) {
    case 'string':
    case 'list':
      return raw;
    case 'choice': {
      const choices = option.choices ?? [];
      if (!choices.includes(raw)) {
        throw new UsageError(`Invalid value '${raw}' for ${flag}: allowed values are ${choices.join(', ')}.`);
      }
      return raw;
    }
    case 'integer':
    case 'number': {
      const pattern = option.type === 'integer' ? INTEGER : NUMBER;
      const kind = option.type === 'integer' ? 'an integer' : 'a number';
      const value = Number(raw);
      if (!pattern.test(raw) || !Number.isFinite(value)) {
        throw new UsageError(`Invalid value '${raw}' for ${flag}: expected ${kind}${rangeText(option)}.`);
      }
      const tooSmall = (option.min !== undefined && value < option.min) || (option.greaterThan !== undefined && value <= option.greaterThan);
      if (tooSmall || (option.max !== undefined && value > option.max)) {
        throw new UsageError(`Value ${raw} for ${flag} is out of range: expected ${kind}${rangeText(option)}.`);
      }
      return value;
    }
    case 'flag':
      return true;
  }
}

function rangeText(option: OptionSpec): string {
  if (option.greaterThan !== undefined) {
    return ` greater than ${option.greaterThan}${option.max !== undefined ? ` and at most ${option.max}` : ''}`;
  }
  if (option.min !== undefined && option.max !== undefined) return ` from ${option.min} to ${option.max}`;
  if (option.min !== undefined) return ` of at least ${option.min}`;
  if (option.max !== undefined) return ` of at most ${option.max}`;
  return '';
}

/**
 * Parses `argv` (the words after the command name) against `command`'s declaration.
 * `--help` is not handled here: the dispatcher looks for it first.
 */
export function parseArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const byName = new Map(command.options.map((option) => [option.name, option]));
  const values = new Map<string, OptionValue>();
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    const isOption = word.startsWith('-') && word.length > 1 && !NUMBER.test(word);
    if (!isOption) {
      positionals.push(word);
      continue;
    }
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const body = word.replace(/^--?/, '');
    const equals = body.indexOf('=');
    const name = equals >= 0 ? body.slice(0, equals) : body;
    const option = byName.get(name);
    if (option === undefined) {
      const known = command.options.map((o) => flagText(command, o)).join(', ');
      throw new UsageError(
        `Unknown option '${word}' for '${command.name}'. Known options: ${known || '(none)'}. See --help.`,
      );
    }
    let raw: string;
    if (option.type === 'flag') {
      if (equals >= 0) throw new UsageError(`Option ${flagText(command, option)} takes no value.`);
      raw = '';
    } else if (equals >= 0) {
      raw = body.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined) {
        throw new UsageError(`Option ${flagText(command, option)} needs a value (${option.valueName ?? option.type}).`);
      }
      raw = next;
      i++;
    }
    const value = convert(command, option, raw);
    if (option.type === 'list') {
      const previous = values.get(name);
      values.set(name, [...(Array.isArray(previous) ? previous : []), value as string]);
    } else {
      values.set(name, value);
    }
  }

  const args = new ParsedArgs(values, positionals);
  for (const option of command.options) {
    if (values.has(option.name)) continue;
    if (option.default !== undefined) {
      values.set(option.name, option.default);
      args.defaulted.add(option.name);
    } else if (option.required) {
      throw new UsageError(`Missing required option ${flagText(command, option)} (${option.description}).`);
    }
  }

  const specs = command.positionals ?? [];
  const required = specs.filter((p) => p.required).length;
  if (positionals.length < required) {
    const missing = specs.slice(positionals.length).filter((p) => p.required).map((p) => p.name.toUpperCase());
    throw new UsageError(`Missing argument${missing.length > 1 ? 's' : ''} ${missing.join(' ')} for '${command.name}'.`);
  }
  const variadic = specs.some((p) => p.variadic);
  if (!variadic && positionals.length > specs.length) {
    throw new UsageError(
      `Unexpected argument '${positionals[specs.length]}' for '${command.name}'. See --help.`,
    );
  }
  return args;
}

/** Widest option column in `--help`; longer ones (long choice lists) put their text below. */
const MAX_LEFT_WIDTH = 32;

/** The `--help` text of a command, generated from its declaration. */
export function helpText(command: Command, prefix = 'embedkit'): string {
  const dash = command.style === 'c' ? '-' : '--';
  const positionals = (command.positionals ?? [])
    .map((p) => {
      const name = p.name.toUpperCase() + (p.variadic ? '…' : '');
      return p.required ? name : `[${name}]`;
    })
    .join(' ');
  const lines = [`Usage: ${prefix} ${command.name} [options]${positionals ? ' ' + positionals : ''}`, '', command.summary, ''];
  const options: [string, string][] = command.options.map((option) => {
    let left = `${dash}${option.name}`;
    if (option.type === 'choice') left += ` ${(option.choices ?? []).join('|')}`;
    else if (option.type !== 'flag') left += ` ${option.valueName ?? (option.type === 'string' || option.type === 'list' ? 'VALUE' : 'N')}`;
    let right = option.description;
    if (option.default !== undefined) right += ` (default: ${option.default})`;
    else if (option.required) right += ' (required)';
    if (option.type === 'list') right += ' (repeatable)';
    return [left, right];
  });
  options.push([`${dash}verbose`, 'Show error details'], [`${dash}help`, 'Show this help']);
  const positionalRows: [string, string][] = (command.positionals ?? []).map((p) => [p.name.toUpperCase(), p.description]);
  // One column width for every row; a left side longer than the cap gets its text on the next line.
  const width = Math.min(MAX_LEFT_WIDTH, Math.max(...[...options, ...positionalRows].map(([left]) => left.length)));
  const row = ([left, right]: [string, string]): string =>
    left.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`;
  if (positionalRows.length > 0) lines.push('Arguments:', ...positionalRows.map(row), '');
  lines.push('Options:', ...options.map(row));
  if (command.epilog) lines.push('', command.epilog);
  return lines.join('\n') + '\n';
}
