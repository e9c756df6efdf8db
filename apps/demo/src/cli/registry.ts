/**
 * Every `embedkit` command, in the order `embedkit --help` lists them.
 * A new command is a module in `../commands/` plus one line here.
 */
import type { CommandEntry } from './command';
import { analogyCommand } from '../commands/analogy';
import { cooccurCommand } from '../commands/cooccur';
import { convertCommand } from '../commands/convert';
import { evalCommand } from '../commands/eval';
import { fasttextCommand } from '../commands/fasttext';
import { gloveCommand } from '../commands/glove';
import { item2vecCommand } from '../commands/item2vec';
import { mainCommand } from '../commands/main';
import { serveCommand } from '../commands/serve';
import { similarCommand } from '../commands/similar';
import { vocabCommand } from '../commands/vocab';
import { word2vecCommand } from '../commands/word2vec';

export const commands: readonly CommandEntry[] = [
  mainCommand,
  vocabCommand,
  word2vecCommand,
  cooccurCommand,
  gloveCommand,
  {
    name: 'tfjs',
    summary: "Train the article's two-matrix word2vec model on TensorFlow.js (tfjs-node when installed, else wasm, else cpu).",
    // TensorFlow.js takes about half a second to import: load it only for this command.
    load: async () => (await import('../commands/tfjs')).tfjsCommand,
  },
  fasttextCommand,
  evalCommand,
  similarCommand,
  analogyCommand,
  convertCommand,
  item2vecCommand,
  {
    name: 'families',
    summary: "Measure the embedding families side by side on the article's six points (context, OOV, generalisation, cost, price, quality).",
    // The measuring harness (@embedkit/bench) is only needed by this command.
    load: async () => (await import('../commands/families')).familiesCommand,
  },
  serveCommand,
];
