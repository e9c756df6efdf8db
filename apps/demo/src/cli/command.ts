/**
 * The contract between the `embedkit` dispatcher and its subcommands.
 *
 * A command declares its options once (name, type, default, allowed values); the dispatcher
 * parses and validates the arguments against that declaration, prints `--help` from it, and
 * turns errors into exit codes: 2 for a usage error, 1 for a failure while running.
 */
import type { Writable, Readable } from 'node:stream';
import type { ParsedArgs } from './args';

/** How a value given to an option is read. `flag` takes no value (`--json`). */
export type OptionType = 'string' | 'number' | 'integer' | 'choice' | 'list' | 'flag';

/** One option of a command, written on the command line as `-name VALUE` or `--name VALUE`. */
export interface OptionSpec {
  /** Name without dashes, exactly as the user types it: `train`, `min-count`, `vectors`. */
  readonly name: string;
  readonly type: OptionType;
  /** One line for `--help`. */
  readonly description: string;
  /** Value used when the option is absent; shown in `--help`. */
  readonly default?: string | number;
  /** Allowed values for `choice`. */
  readonly choices?: readonly string[];
  /** Inclusive bounds for `number` and `integer`. */
  readonly min?: number;
  readonly max?: number;
  /** The value must be greater than this (a learning rate: `greaterThan: 0`); shown as `> 0`. */
  readonly greaterThan?: number;
  /** Absent and without default: refused with exit code 2. */
  readonly required?: boolean;
  /**
   * The library option(s) this flag sets (`minCount` for `-min-count`): a library message that
   * names them is shown with the flag instead, in the CLI's words.
   */
  readonly api?: string | readonly string[];
  /** Placeholder shown in `--help`: FILE, N, WORD. */
  readonly valueName?: string;
}

/** A positional argument (after the options, or between them). */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** Takes every remaining positional argument. */
  readonly variadic?: boolean;
}

/** What a running command may use instead of touching `process` directly (tests pass their own). */
export interface CommandContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  /** Show stack traces and causes of errors. */
  readonly verbose: boolean;
  /** True when stderr is a terminal: draw progress bars; otherwise print plain periodic lines. */
  readonly interactive: boolean;
  /** Stops long work when the user presses Ctrl-C. */
  readonly signal: AbortSignal;
}

/** A subcommand of `embedkit`. */
export interface Command {
  /** As typed after `embedkit`: `word2vec`, or for a group's member `train`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /**
   * How options are written in examples and help: `c` for the C word2vec tool's single dash
   * (`-train FILE`), `gnu` for double dashes (`--vectors FILE`). Both spellings are accepted.
   */
  readonly style: 'c' | 'gnu';
  readonly options: readonly OptionSpec[];
  readonly positionals?: readonly PositionalSpec[];
  /** Extra lines printed at the end of `--help` (examples, notes). */
  readonly epilog?: string;
  /** Returns the exit code (default 0). */
  run(args: ParsedArgs, context: CommandContext): Promise<number | void>;
}

/** A command made of subcommands, such as `embedkit item2vec train|eval|recommend`. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly Command[];
}

/**
 * A command whose module is loaded only when it runs, for commands whose dependencies are slow to
 * import (TensorFlow.js): `embedkit --help` and every other command stay fast.
 */
export interface LazyCommand {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command | CommandGroup>;
}

/** What the dispatcher lists: a command, a group of commands, or a lazily loaded one. */
export type CommandEntry = Command | CommandGroup | LazyCommand;
