/**
 * `embedkit item2vec types|features`: Airbnb's long-term interest and real-time personalisation
 * (Grbovic & Cheng 2018, sections 3.2 and 4.4).
 *
 * - `types --bookings FILE --user-column C --listing-column C --time-column C --user-attributes A,B
 *   --listing-attributes A,B:q5 --output types.vec`: user-type and listing-type vectors in one space
 *   from booking requests, host rejections (`--rejected-column`) as explicit negatives.
 * - `features --vectors items.vec --candidates A,B,… [--clicks …] [--skips …] [--booked …] [--types types.vec
 *   --user-type U --listing-types L,…]`: EmbClickSim and friends for candidate listings.
 */
import {
  DEFAULT_PAST_BOOKING_CUTS, PERSONALISATION_FEATURES, Personaliser, Recommender, TYPE_EMBEDDING_DEFAULTS, TypeEmbeddings, forEachCsvRecord,
  parseTypeAttributes, readBookings, trainTypeEmbeddings,
} from '@embedkit/item2vec';
import type { InteractionHistory, ItemMetadata, TimestampUnit, TypeAttribute } from '@embedkit/item2vec';
import type { ParsedArgs } from '../cli/args';
import { UsageError } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles, readNamedByFlag, warnAboutThreads } from '../cli/preflight';
import { createProgress } from '../cli/progress';
import { loadVectorFile, readFormatOption } from '../cli/vector-files';

const d = TYPE_EMBEDDING_DEFAULTS;

const csvList = (value: string | undefined): string[] =>
  value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** `--past-bookings 1/3` (cut points) or `none`. */
function pastBookingsOption(value: string): readonly number[] | false {
  if (value === 'none') return false;
  // Number('') is 0: an empty cut (`''`, `1//3`) is refused, as in --user-attributes.
  const cuts = value.split('/').map((c) => (c.trim() === '' ? Number.NaN : Number(c)));
  if (cuts.some((c) => !Number.isFinite(c))) throw new UsageError(`--past-bookings takes cut points such as 1/3, or none; got ${JSON.stringify(value)}.`);
  if (cuts.some((c, i) => i > 0 && c <= cuts[i - 1]!)) throw new UsageError(`--past-bookings cut points must be strictly ascending, such as 1/3; got ${JSON.stringify(value)}.`);
  return cuts;
}

/**
 * `--delimiter` as the readers want it, one meaning in every item2vec command: `auto`, `tab` or
 * `\t` for the tab, or the character; empty and `"` are refused.
 */
export function delimiterOption(value: string): string {
  if (value === 'tab' || value === '\\t') return '\t';
  if (value === '') throw new UsageError("--delimiter needs a value: auto, tab, or a character such as ',' ';' '|'.");
  if (value.includes('"')) throw new UsageError('--delimiter cannot contain a double quote (it quotes fields).');
  return value;
}

function attributes(args: ParsedArgs, flag: string): TypeAttribute[] {
  try {
    return parseTypeAttributes(args.requireString(flag), `--${flag}`);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function runTypes(args: ParsedArgs, context: CommandContext): Promise<number> {
  const path = args.requireString('bookings');
  const output = args.requireString('output');
  await checkFiles({ inputs: [{ flag: '--bookings', path }], outputs: [{ flag: '--output', path: output }] });
  const threads = args.requireNumber('threads');
  warnAboutThreads(context, '--threads', threads);
  const user = attributes(args, 'user-attributes');
  const listing = attributes(args, 'listing-attributes');
  const pastBookings = pastBookingsOption(args.requireString('past-bookings'));
  const rejected = args.string('rejected-column');
  const delimiter = delimiterOption(args.requireString('delimiter'));
  const read = await readNamedByFlag('--bookings', path, () => readBookings(path, {
    columns: {
      user: args.requireString('user-column'), listing: args.requireString('listing-column'), time: args.requireString('time-column'),
      ...(rejected === undefined ? {} : { rejected }),
    },
    userAttributes: user,
    listingAttributes: listing,
    timestampUnit: args.requireString('time-unit') as TimestampUnit,
    ...(delimiter === 'auto' ? {} : { delimiter }),
  }));
  const err = context.stderr;
  err.write(`Read ${path}: ${read.records.length.toLocaleString('en-US')} booking requests (${read.rejected.toLocaleString('en-US')} rejected), ${read.bad.toLocaleString('en-US')} bad rows left out\n`);
  const progress = createProgress('types', err, { interactive: context.interactive });
  const result = await trainTypeEmbeddings(read.records, {
    schema: { user, listing, pastBookings },
    dim: args.requireNumber('dim'),
    window: args.requireNumber('window'),
    negative: args.requireNumber('negative'),
    epochs: args.requireNumber('epochs'),
    alpha: args.requireNumber('alpha'),
    rejectionNegatives: args.requireNumber('rejection-negatives'),
    threads,
    seed: args.requireNumber('seed'),
    signal: context.signal,
  });
  const { types, sequences, rejectionsUsed } = result;
  progress.finish(`${types.embeddings.size.toLocaleString('en-US')} types in ${result.stats.seconds.toFixed(1)} s`);
  for (const line of types.bucketer?.describe() ?? []) err.write(`  ${line}\n`);
  err.write(`${sequences.users.length.toLocaleString('en-US')} users, ${sequences.bookings.toLocaleString('en-US')} accepted bookings, ` +
    `${rejectionsUsed.toLocaleString('en-US')} of ${sequences.rejections.length.toLocaleString('en-US')} rejections used as negatives (both types booked somewhere)\n`);
  await types.embeddings.save(output, { format: 'word2vec-text' });
  err.write(`Saved ${types.embeddings.size.toLocaleString('en-US')} type vectors × ${types.embeddings.dim} to ${output}\n`);
  // The most frequent user types and the listing types nearest to them.
  const counts = new Map<string, number>();
  for (const s of sequences.sequences) for (let i = 0; i < s.length; i += 2) counts.set(s[i]!, (counts.get(s[i]!) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, args.requireNumber('show'));
  const nearest = top.map(([type, n]) => ({ userType: type, bookings: n, listingTypes: types.listingTypesFor(type, 3) }));
  if (args.flag('json')) {
    context.stdout.write(`${JSON.stringify({ users: sequences.users.length, bookings: sequences.bookings, rejectionsUsed, nearest }, null, 2)}\n`);
    return 0;
  }
  for (const row of nearest) {
    context.stdout.write(`${row.userType} (${row.bookings} bookings): ${row.listingTypes.map((l) => `${l.type} ${l.score.toFixed(3)}`).join(', ')}\n`);
  }
  return 0;
}

/** `id → market` from a CSV whose first column is the id and second the market. */
async function readMarkets(path: string): Promise<Map<string, ItemMetadata>> {
  const out = new Map<string, ItemMetadata>();
  await readNamedByFlag('--markets', path, () => forEachCsvRecord(path, (fields) => {
    if (fields.length >= 2 && fields[0] !== undefined && fields[0] !== '') out.set(fields[0].trim(), { market: fields[1]!.trim() });
  }));
  return out;
}

async function runFeatures(args: ParsedArgs, context: CommandContext): Promise<number> {
  const vectorsPath = args.requireString('vectors');
  const typesPath = args.string('types');
  const marketsPath = args.string('markets');
  await checkFiles({ inputs: [{ flag: '--vectors', path: vectorsPath, directory: true }, { flag: '--types', path: typesPath }, { flag: '--markets', path: marketsPath }] });
  const candidates = csvList(args.requireString('candidates'));
  if (candidates.length === 0) throw new UsageError('--candidates needs at least one listing id (comma-separated).');
  const userType = args.string('user-type');
  const listingTypes = csvList(args.string('listing-types'));
  if ((userType !== undefined || listingTypes.length > 0) && typesPath === undefined) {
    throw new UsageError('--user-type and --listing-types need --types (the vectors from `item2vec types`).');
  }
  if (typesPath !== undefined && (userType === undefined || listingTypes.length !== candidates.length)) {
    throw new UsageError(`--types needs --user-type and one --listing-types entry per candidate (${candidates.length}).`);
  }
  const metadata = marketsPath === undefined ? new Map<string, ItemMetadata>() : await readMarkets(marketsPath);
  const load = (flag: string, path: string) =>
    readNamedByFlag(flag, path, () => loadVectorFile({ flag, path, format: args.requireString('format'), formatFlag: '--format' }, context));
  const recommender = new Recommender(await load('--vectors', vectorsPath), { metadata });
  const types = typesPath === undefined ? undefined : new TypeEmbeddings(await load('--types', typesPath));
  const personaliser = new Personaliser(recommender, { metadata, ...(types === undefined ? {} : { types }) });
  const history: InteractionHistory = {
    clicks: csvList(args.string('clicks')), longClicks: csvList(args.string('long-clicks')), skips: csvList(args.string('skips')),
    wishlists: csvList(args.string('wishlists')), inquiries: csvList(args.string('inquiries')), bookings: csvList(args.string('booked')),
  };
  const missing = new Set(Object.values(history).flat().concat(candidates).filter((item) => personaliser.vectorOf(item) === undefined));
  if (missing.size > 0) context.stderr.write(`warning: no vector for ${[...missing].join(', ')} (features with them are 0)\n`);
  if (types !== undefined) {
    const missingTypes = new Set([userType!, ...listingTypes].filter((t) => !types.embeddings.has(t)));
    if (missingTypes.size > 0) context.stderr.write(`warning: no vector in --types for ${[...missingTypes].join(', ')} (userTypeListingTypeSim with them is 0)\n`);
  }
  const rows = personaliser.features(candidates, history, types === undefined ? {} : { userType: userType!, listingTypes });
  const plain = personaliser.recencySimilarity(candidates, history.clicks ?? []);
  const names = ['embSim', ...PERSONALISATION_FEATURES];
  const w = PERSONALISATION_FEATURES.length;
  const table = candidates.map((item, i) => [plain[i]!, ...Array.from(rows.subarray(i * w, (i + 1) * w))]);
  if (args.flag('json')) {
    context.stdout.write(`${JSON.stringify(candidates.map((item, i) => ({ item, ...Object.fromEntries(names.map((n, j) => [n, table[i]![j]])) })), null, 2)}\n`);
    return 0;
  }
  const width = Math.max(4, ...candidates.map((c) => c.length));
  context.stdout.write(`${'item'.padEnd(width)}  ${names.join('  ')}\n`);
  candidates.forEach((item, i) => {
    context.stdout.write(`${item.padEnd(width)}  ${names.map((n, j) => table[i]![j]!.toFixed(4).padStart(n.length)).join('  ')}\n`);
  });
  return 0;
}

/** `embedkit item2vec types`. */
export const typesCommand: Command = {
  name: 'types',
  summary: 'Train user-type and listing-type vectors from booking requests (Airbnb KDD 2018, 3.2).',
  style: 'gnu',
  options: [
    { name: 'bookings', type: 'string', description: 'Booking requests: delimited text with a header (delimiter sniffed, gzip detected), one row per request', required: true, valueName: 'FILE' },
    { name: 'user-column', type: 'string', api: 'columns.user', description: 'Column of the user id', required: true, valueName: 'NAME' },
    { name: 'listing-column', type: 'string', api: 'columns.listing', description: 'Column of the listing id', required: true, valueName: 'NAME' },
    { name: 'time-column', type: 'string', api: 'columns.time', description: 'Column of the request time (see --time-unit)', required: true, valueName: 'NAME' },
    { name: 'rejected-column', type: 'string', api: 'columns.rejected', description: 'Column marking host rejections (1, true, yes, rejected): explicit negatives', valueName: 'NAME' },
    { name: 'user-attributes', type: 'string', api: ['schema.user', 'userAttributes'], description: 'User type attributes: name (category), name:qN (N quantile buckets), name:a/b (cut points)', required: true, valueName: 'A,B' },
    { name: 'listing-attributes', type: 'string', api: ['schema.listing', 'listingAttributes'], description: 'Listing type attributes, same syntax (e.g. city,room_type,price:q5,capacity:2/4)', required: true, valueName: 'A,B' },
    { name: 'past-bookings', type: 'string', api: 'schema.pastBookings', description: 'Cut points of the user\'s earlier bookings in the user type, or none', default: DEFAULT_PAST_BOOKING_CUTS.join('/'), valueName: 'A/B' },
    { name: 'time-unit', type: 'choice', api: 'timestampUnit', choices: ['auto', 's', 'ms', 'iso'], description: 'Times: auto (numbers ≥ 1e11 are ms, smaller s, else ISO), s, ms or iso', default: 'auto', valueName: 'UNIT' },
    { name: 'delimiter', type: 'string', description: "Field separator: auto (sniffed among , ; tab |), tab, or the character", default: 'auto', valueName: 'CHAR' },
    { name: 'dim', type: 'integer', description: 'Vector size', default: d.dim, min: 1, max: 10000 },
    { name: 'window', type: 'integer', description: 'Window over the interleaved user/listing type tokens', default: d.window, min: 1, max: 1000 },
    { name: 'epochs', type: 'integer', description: 'Passes over the booking sequences', default: d.epochs, min: 1, max: 100000 },
    { name: 'negative', type: 'integer', description: 'Negative samples per example', default: d.negative, min: 1, max: 1000 },
    { name: 'alpha', type: 'number', api: 'alpha', description: 'Starting learning rate', default: d.alpha, greaterThan: 0, max: 10 },
    { name: 'rejection-negatives', type: 'integer', api: 'rejectionNegatives', description: 'Rejected partners per example of a rejected type (0 = off)', default: d.rejectionNegatives, min: 0, max: 1000 },
    { name: 'threads', type: 'integer', description: 'Worker threads', default: d.threads, min: 1, max: 256 },
    { name: 'seed', type: 'integer', description: 'Random seed', default: d.seed },
    { name: 'output', type: 'string', description: 'Where to write the type vectors (word2vec text; user types u:…, listing types l:…)', required: true, valueName: 'FILE' },
    { name: 'show', type: 'integer', description: 'Print the nearest listing types of this many most frequent user types', default: 5, min: 0 },
    { name: 'json', type: 'flag', description: 'Print the summary as JSON' },
  ],
  epilog: 'Example:\n  embedkit item2vec types --bookings bookings.csv --user-column user_id --listing-column item_id --time-column timestamp \\\n' +
    '    --user-attributes platform,device --listing-attributes city,price:q5 --rejected-column rejected --output types.vec',
  run: runTypes,
};

/** `embedkit item2vec features`. */
export const featuresCommand: Command = {
  name: 'features',
  summary: 'Personalisation features of candidate listings (EmbClickSim and friends, Airbnb KDD 2018, 4.4).',
  style: 'gnu',
  options: [
    { name: 'vectors', type: 'string', description: 'Listing vectors (from item2vec train)', required: true, valueName: 'FILE' },
    readFormatOption(),
    { name: 'candidates', type: 'string', description: 'Listings to score, comma-separated', required: true, valueName: 'ID,ID' },
    { name: 'clicks', type: 'string', description: 'Recently clicked listings, oldest first', valueName: 'ID,ID' },
    { name: 'long-clicks', type: 'string', description: 'Long clicks (long dwell), oldest first', valueName: 'ID,ID' },
    { name: 'skips', type: 'string', description: 'Skipped listings (shown above a click, not clicked)', valueName: 'ID,ID' },
    { name: 'wishlists', type: 'string', description: 'Wishlisted listings', valueName: 'ID,ID' },
    { name: 'inquiries', type: 'string', description: 'Contacted listings', valueName: 'ID,ID' },
    { name: 'booked', type: 'string', description: 'Booked listings (not --bookings, which is the booking-requests file of item2vec types)', valueName: 'ID,ID' },
    { name: 'markets', type: 'string', description: 'CSV of listing id and market: sets are grouped by market (else one group)', valueName: 'FILE' },
    { name: 'types', type: 'string', description: 'Type vectors (from item2vec types), for userTypeListingTypeSim', valueName: 'FILE' },
    { name: 'user-type', type: 'string', description: 'The user type now (u:…)', valueName: 'TYPE' },
    { name: 'listing-types', type: 'string', description: 'One listing type (l:…) per candidate', valueName: 'T,T' },
    { name: 'json', type: 'flag', description: 'Print JSON' },
  ],
  epilog: 'Example:\n  embedkit item2vec features --vectors items.vec --candidates 12,40,7 --clicks 3,9 --skips 5 --markets listings.csv',
  run: runFeatures,
};
