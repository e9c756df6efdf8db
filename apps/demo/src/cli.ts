#!/usr/bin/env node
/**
 * Entry point of the `embedkit` command line. Everything testable lives in `cli/run.ts` and the
 * command modules; this file only binds them to the process.
 */
import { commands } from './cli/registry';
import { runCli } from './cli/run';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C asks the running command to stop cleanly; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nStopping… (press Ctrl-C again to quit at once)\n');
  controller.abort(new Error('Interrupted by the user (Ctrl-C).'));
});

const code = await runCli(process.argv.slice(2), commands, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  interactive: process.stderr.isTTY === true,
  signal: controller.signal,
});
process.exitCode = interrupted && code !== 0 ? 130 : code;
