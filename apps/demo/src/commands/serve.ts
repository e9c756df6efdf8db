/**
 * `embedkit serve`: opens the local web page over a vector file — search with completion,
 * nearest neighbours, analogies, a 2-D map and, with item vectors and a catalogue, item
 * recommendations with titles. Loads everything first, then serves until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EmbedkitError } from '@embedkit/errors';
import { Embeddings } from '@embedkit/vectors';
import { UsageError } from '../cli/args';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import type { FamiliesTable } from '../server/api';
import { TOKENIZER_OPTION_LIST, wordFormOf } from '../cli/text';
import { loadVectorFile, readFormatOption } from '../cli/vector-files';
import { loadCatalog } from '../server/catalog';
import { startServer } from '../server/server';

/** Codes of the errors `embedkit serve` raises itself (loading errors keep their package's code). */
export type ServeErrorCode = 'PORT_IN_USE' | 'LISTEN_FAILED';

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * The table of `embedkit families` for the page, from its saved JSON result: `--families FILE`,
 * or models/families.json when it exists (absent by default is no error: no panel).
 */
async function loadFamilies(args: ParsedArgs, context: CommandContext): Promise<FamiliesTable | undefined> {
  const path = args.requireString('families');
  if (!args.given('families') && !existsSync(path)) return undefined;
  let result;
  try {
    result = JSON.parse(await readFile(path, 'utf8')) as import('@embedkit/bench').FamiliesResult;
    if (!Array.isArray(result.rows)) throw new Error('no rows');
  } catch (error) {
    throw new UsageError(`--families ${path}: not a result of embedkit families (${(error as Error).message}). Run embedkit families to write one.`);
  }
  // Formatting lives with the measurement (@embedkit/bench), loaded only when there is a table.
  const { familiesCells } = await import('@embedkit/bench');
  const { columns, rows } = familiesCells(result);
  context.stderr.write(`Families comparison from ${path}: ${result.rows.length} rows, measured ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC\n`);
  return {
    columns,
    rows,
    caption: `Measured ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${result.machine.cpus} cores; training text ${result.corpus.label.replace(/`/gu, '')}${result.command ? `; ${result.command}` : ''}. How each column is measured: BENCHMARKS.md.`,
  };
}

async function runServe(args: ParsedArgs, context: CommandContext): Promise<number> {
  const vectorsPath = args.requireString('vectors');
  const itemsPath = args.string('items');
  const catalogPath = args.string('catalog');
  const port = args.requireNumber('port');
  const host = args.requireString('host');
  const limit = args.number('limit');
  const format = args.requireString('format');
  const source = (flag: string, path: string) => ({ path, flag, format, formatFlag: '--format', limit });
  if (catalogPath !== undefined && itemsPath === undefined) {
    throw new UsageError('Option --catalog needs --items FILE: the catalogue gives titles to item vectors.');
  }
  const err = context.stderr;

  let started = Date.now();
  err.write(`Loading vectors from ${vectorsPath}…\n`);
  const vectors = await loadVectorFile(source('--vectors', vectorsPath), context, '  ');
  err.write(`  ${vectors.size.toLocaleString('en-US')} words × ${vectors.dim} dimensions (${seconds(started)})\n`);

  let items: Embeddings | undefined;
  if (itemsPath !== undefined) {
    started = Date.now();
    err.write(`Loading item vectors from ${itemsPath}…\n`);
    items = await loadVectorFile(source('--items', itemsPath), context, '  ');
    err.write(`  ${items.size.toLocaleString('en-US')} items × ${items.dim} dimensions (${seconds(started)})\n`);
  }
  let catalog: Awaited<ReturnType<typeof loadCatalog>> | undefined;
  if (catalogPath !== undefined && items !== undefined) {
    catalog = await loadCatalog(catalogPath);
    let titled = 0;
    for (const label of items.labels) if (catalog.has(label)) titled++;
    err.write(`  catalogue: ${catalog.size.toLocaleString('en-US')} entries, titles for ${titled.toLocaleString('en-US')} of ${items.size.toLocaleString('en-US')} items\n`);
    if (titled === 0) {
      err.write(`  warning: no item id of ${itemsPath} is in ${catalogPath}; recommendations will show ids only\n`);
    }
  }
  const families = await loadFamilies(args, context);
  if (context.signal.aborted) return 130;

  let server;
  try {
    server = await startServer({
      vectors,
      items,
      catalog,
      wordForm: wordFormOf(args),
      vectorsName: basename(vectorsPath),
      itemsName: itemsPath === undefined ? undefined : basename(itemsPath),
      families,
      port,
      host,
      log: (message) => err.write(`${message}\n`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new EmbedkitError<ServeErrorCode>(
        'PORT_IN_USE',
        `Port ${port} on ${host} is already in use: pass --port N with a free port (or --port 0 to pick one).`,
        { cause: error },
      );
    }
    throw new EmbedkitError<ServeErrorCode>(
      'LISTEN_FAILED',
      `Cannot listen on ${host}:${port} (${code ?? (error as Error).message}). Check --host and --port.`,
      { cause: error },
    );
  }
  if (server.host !== '127.0.0.1' && server.host !== '::1') {
    err.write(`warning: listening on ${server.host}: other machines can query these vectors.\n`);
  }
  context.stdout.write(`embedkit serve: open ${server.url} (Ctrl-C to stop)\n`);

  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    else context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  err.write('Server stopped.\n');
  return 0;
}

/** The `serve` command. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Open a local web page to explore vectors: neighbours, analogies, a 2-D map, item recommendations.',
  style: 'gnu',
  options: [
    { name: 'vectors', type: 'string', description: 'Word vectors (word2vec text or binary, GloVe, fastText .vec)', required: true, valueName: 'FILE' },
    { name: 'items', type: 'string', description: 'Item vectors (item2vec) for the recommendations panel', valueName: 'FILE' },
    { name: 'catalog', type: 'string', description: 'Item titles: a MovieLens-style movies.csv (movieId,title,genres)', valueName: 'FILE' },
    readFormatOption(),
    { name: 'limit', type: 'integer', description: 'Load only the first N vectors of each file (the N most frequent words)', min: 1, valueName: 'N' },
    { name: 'port', type: 'integer', description: 'TCP port (0 picks a free one)', default: 5173, min: 0, max: 65535 },
    { name: 'families', type: 'string', description: 'The saved result of embedkit families, shown as a table', default: 'models/families.json', valueName: 'FILE' },
    { name: 'host', type: 'string', description: 'Address to bind; anything but 127.0.0.1 exposes the page to the network', default: '127.0.0.1', valueName: 'ADDRESS' },
    ...TOKENIZER_OPTION_LIST,
  ],
  epilog: [
    'Examples:',
    '  embedkit serve --vectors models/sotu-skipgram.vec --items models/marketplace-items.vec   # what `embedkit main` writes',
    '  embedkit serve --vectors words.bin --items movies-item2vec.vec --catalog ml-latest-small/movies.csv --port 8080',
    '',
    'The page is served on 127.0.0.1 only unless --host says otherwise; stop it with Ctrl-C.',
    'A word typed on the page is looked up as typed, else as --tokenizer, --lowercase and --nfkc',
    '(the training options) write it.',
  ].join('\n'),
  run: runServe,
};
