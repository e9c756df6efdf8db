/**
 * Every `embedkit` command, in the order `embedkit --help` lists them.
 * A new command is a module in `../commands/` plus one line here.
 */
import type { Command, CommandGroup } from './command';
import { analogyCommand } from '../commands/analogy';
import { convertCommand } from '../commands/convert';
import { evalCommand } from '../commands/eval';
import { item2vecCommand } from '../commands/item2vec';
import { mainCommand } from '../commands/main';
import { serveCommand } from '../commands/serve';
import { similarCommand } from '../commands/similar';
import { vocabCommand } from '../commands/vocab';
import { word2vecCommand } from '../commands/word2vec';

export const commands: readonly (Command | CommandGroup)[] = [
  mainCommand,
  vocabCommand,
  word2vecCommand,
  evalCommand,
  similarCommand,
  analogyCommand,
  convertCommand,
  item2vecCommand,
  serveCommand,
];
