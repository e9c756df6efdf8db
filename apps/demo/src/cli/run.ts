/**
 * The `embedkit` dispatcher: finds the command, handles `--help` and `--verbose`, parses the
 * arguments and maps failures to exit codes (2 for usage errors, 1 for everything else), each
 * shown as one clear line unless `--verbose` asks for the details.
 */
import { isEmbedkitError } from '@embedkit/errors';
import { flagText, helpText, parseArgs, UsageError } from './args';
import type { Command, CommandContext, CommandEntry, CommandGroup } from './command';

/** Exit codes of `embedkit`. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const HELP_WORDS = new Set(['--help', '-help', '-h']);
const VERBOSE_WORDS = new Set(['--verbose', '-verbose']);

function isGroup(entry: Command | CommandGroup): entry is CommandGroup {
  return 'subcommands' in entry;
}

function overview(entries: readonly CommandEntry[], prefix: string, summary: string): string {
  const width = Math.max(...entries.map((e) => e.name.length)) + 2;
  const lines = [`Usage: ${prefix} <command> [options]`, '', summary, '', 'Commands:'];
  for (const entry of entries) lines.push(`  ${entry.name.padEnd(width)} ${entry.summary}`);
  lines.push('', `Run '${prefix} <command> --help' for the options of a command.`);
  return lines.join('\n') + '\n';
}

/**
 * Rewrites the library option names in a message (`lower minCount`) into `command`'s flags
 * (`lower -min-count`), from the `api` names its options declare.
 */
export function inFlagNames(message: string, command: Command): string {
  let text = message;
  for (const option of command.options) {
    for (const name of [option.api ?? []].flat()) {
      const pattern = new RegExp(`(?<![\\w.-])${name.replaceAll('.', '\\.')}(?![\\w])`, 'g');
      text = text.replace(pattern, flagText(command, option));
    }
  }
  return text;
}

/**
 * Describes an error for the user: one line, or the full chain with `verbose`; `words` turns the
 * message into the CLI's words.
 */
export function describeError(error: unknown, verbose: boolean, words: (message: string) => string = (m) => m): string {
  if (!(error instanceof Error)) return `embedkit: ${words(String(error))}\n`;
  if (isEmbedkitError(error, 'ABORTED') && !verbose) return 'embedkit: stopped by Ctrl-C before the end; outputs are written only at the end\n';
  const code = isEmbedkitError(error) ? ` [${error.code}]` : '';
  let text = `embedkit: ${words(error.message)}${code}\n`;
  if (verbose) {
    text += `${error.stack ?? ''}\n`;
    let cause: unknown = error.cause;
    while (cause !== undefined) {
      text += `Caused by: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}\n`;
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  } else if (!isEmbedkitError(error)) {
    text += `(run again with --verbose for details)\n`;
  }
  return text;
}

/**
 * Runs one `embedkit` invocation and returns its exit code.
 * `argv` is what follows the program name.
 */
export async function runCli(
  argv: readonly string[],
  entries: readonly CommandEntry[],
  context: Omit<CommandContext, 'verbose'>,
  version = '0.1.0',
): Promise<number> {
  const verbose = argv.some((word) => VERBOSE_WORDS.has(word));
  let words = argv.filter((word) => !VERBOSE_WORDS.has(word));
  // `embedkit help word2vec` (and `help item2vec train`) is `embedkit word2vec --help`.
  if (words[0] === 'help' && words.length > 1) words = [...words.slice(1), '--help'];
  const summary = 'Train, evaluate and explore word and item embeddings.';

  const first = words[0];
  if (first === undefined || HELP_WORDS.has(first) || first === 'help') {
    context.stdout.write(overview(entries, 'embedkit', summary));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-version') {
    context.stdout.write(`${version}\n`);
    return EXIT_OK;
  }

  const found = entries.find((e) => e.name === first);
  let prefix = 'embedkit';
  let rest = words.slice(1);
  if (found === undefined) {
    context.stderr.write(
      `embedkit: unknown command '${first}'. Commands: ${entries.map((e) => e.name).join(', ')}.\n`,
    );
    return EXIT_USAGE;
  }
  let entry: Command | CommandGroup | undefined = 'load' in found ? await found.load() : found;
  if (isGroup(entry)) {
    const group = entry;
    prefix = `embedkit ${group.name}`;
    const sub = rest[0];
    if (sub === undefined || HELP_WORDS.has(sub)) {
      context.stdout.write(overview(group.subcommands, prefix, group.summary));
      return sub === undefined ? EXIT_USAGE : EXIT_OK;
    }
    entry = group.subcommands.find((c) => c.name === sub);
    if (entry === undefined) {
      context.stderr.write(
        `embedkit: unknown command '${group.name} ${sub}'. Commands: ${group.subcommands.map((c) => c.name).join(', ')}.\n`,
      );
      return EXIT_USAGE;
    }
    rest = rest.slice(1);
  }
  const command = entry as Command;

  if (rest.some((word) => HELP_WORDS.has(word))) {
    context.stdout.write(helpText(command, prefix));
    return EXIT_OK;
  }
  try {
    const args = parseArgs(command, rest);
    const code = await command.run(args, { ...context, verbose });
    return code ?? EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr.write(`${prefix} ${command.name}: ${error.message}\nRun '${prefix} ${command.name} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    context.stderr.write(describeError(error, verbose, (message) => inFlagNames(message, command)));
    return EXIT_FAILURE;
  }
}
