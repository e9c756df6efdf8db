/**
 * Every `embedkit` command, in the order `embedkit --help` lists them.
 * A new command is a module in `../commands/` plus one line here.
 */
import type { Command, CommandGroup } from './command';
import { mainCommand } from '../commands/main';

export const commands: readonly (Command | CommandGroup)[] = [mainCommand];
