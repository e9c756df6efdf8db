/**
 * Picks the TensorFlow.js backend at run time: native TensorFlow (`@tensorflow/tfjs-node-gpu` or
 * `@tensorflow/tfjs-node`) when the user installed it, else WebAssembly
 * (`@tensorflow/tfjs-backend-wasm`), else the pure JavaScript CPU backend.
 *
 * tfjs-node downloads libtensorflow while installing, which fails offline and on many machines, so
 * it is an optional peer dependency: it is loaded here with a dynamic `import()` of a computed
 * specifier (neither TypeScript nor the bundler try to resolve it), inside try/catch.
 * When tfjs-node is used, its own `tf` namespace is returned and used for all tensors, because it
 * may carry its own copy of `@tensorflow/tfjs-core` (tensors of two cores do not mix).
 */

import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { EmbedkitError } from '@embedkit/errors';
import * as tfjs from '@tensorflow/tfjs';
import type { Word2VecTfjsErrorCode } from './errors';

/** The TensorFlow.js namespace (`import * as tf from '@tensorflow/tfjs'`). */
export type Tf = typeof tfjs;

/** What to train on: `auto` picks the fastest available (tensorflow, then wasm, then cpu). */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The backend names TensorFlow.js reports (`tf.getBackend()`). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The backend choices, for validation and help texts. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** A ready backend: the namespace to build tensors with and what was chosen. */
export interface TfjsBackend {
  /** The TensorFlow.js namespace whose active backend is `name`. */
  tf: Tf;
  /** The active backend. */
  name: BackendName;
  /** The npm package providing it, e.g. `'@tensorflow/tfjs-node-gpu'` or `'@tensorflow/tfjs-backend-wasm'`. */
  packageName: string;
  /** Human-readable summary, e.g. `"wasm (@tensorflow/tfjs-backend-wasm 4.22.0, SIMD)"`. */
  description: string;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Modules tried in order for the `tensorflow` backend, default
   * `['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']` (bare specifiers resolved from this
   * package, or absolute paths, e.g. a tfjs-node build of your own).
   */
  nativePackages?: readonly string[];
}

/** Native packages tried in order by `auto` and `tensorflow`. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

const HOW_TO_ADD_NATIVE =
  'Add it with `npm install @tensorflow/tfjs-node` (or `@tensorflow/tfjs-node-gpu` for CUDA GPUs; ' +
  'both download libtensorflow while installing, so the machine needs internet access then), ' +
  "or choose backend 'auto', 'wasm' or 'cpu'.";

/**
 * Imports a native tfjs package if installed. Returns its namespace, or the import error.
 * The specifier is a variable on purpose: see the module comment.
 */
async function importNative(specifier: string): Promise<{ tf?: Tf; error?: unknown }> {
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as Tf & { default?: Tf };
    // CommonJS modules imported from ESM may expose their exports on `default` only.
    const tf = typeof mod.setBackend === 'function' ? mod : mod.default;
    if (tf === undefined || typeof tf.setBackend !== 'function') {
      return { error: new TypeError(`${specifier} did not export the TensorFlow.js API`) };
    }
    return { tf };
  } catch (error) {
    return { error };
  }
}

/** Whether `specifier` can be resolved from this package (installed), without loading it. */
function isInstalled(specifier: string): boolean {
  const require = createRequire(import.meta.url);
  for (const candidate of [`${specifier}/package.json`, specifier]) {
    try {
      require.resolve(candidate);
      return true;
    } catch {
      // not this way
    }
  }
  return false;
}

async function tryNative(packages: readonly string[]): Promise<{ backend?: TfjsBackend; errors: unknown[]; installedButBroken?: string }> {
  const errors: unknown[] = [];
  for (const specifier of packages) {
    if (!isInstalled(specifier)) {
      errors.push(new Error(`Cannot find package '${specifier}'`));
      continue;
    }
    const { tf, error } = await importNative(specifier);
    if (tf === undefined) {
      errors.push(error);
      return { errors, installedButBroken: specifier };
    }
    try {
      if (!(await tf.setBackend('tensorflow'))) throw new Error(`${specifier} did not register the 'tensorflow' backend`);
      await tf.ready();
    } catch (e) {
      errors.push(e);
      return { errors, installedButBroken: specifier };
    }
    const gpu = specifier.endsWith('-gpu');
    return {
      errors,
      backend: { tf, name: 'tensorflow', packageName: specifier, description: `tensorflow (${specifier} ${tf.version_core ?? ''}${gpu ? ', GPU' : ''})`.replace(' )', ')') },
    };
  }
  return { errors };
}

/** Directory holding the `.wasm` binaries of the installed `@tensorflow/tfjs-backend-wasm`, ending in `/`. */
export function wasmBinariesDirectory(): string {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

let wasmRegistered: Promise<unknown> | undefined;

async function tryWasm(): Promise<{ backend?: TfjsBackend; error?: unknown }> {
  try {
    // Registers the 'wasm' backend with the core `@tensorflow/tfjs` uses (same pnpm peer).
    wasmRegistered ??= import('@tensorflow/tfjs-backend-wasm').then((wasm) => {
      wasm.setWasmPaths(wasmBinariesDirectory());
      return wasm;
    });
    await wasmRegistered;
    if (!(await tfjs.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
    await tfjs.ready();
    const simd = await tfjs.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return {
      backend: {
        tf: tfjs,
        name: 'wasm',
        packageName: '@tensorflow/tfjs-backend-wasm',
        description: `wasm (@tensorflow/tfjs-backend-wasm ${tfjs.version_core}${simd === true ? ', SIMD' : ''})`,
      },
    };
  } catch (error) {
    return { error };
  }
}

async function useCpu(): Promise<TfjsBackend> {
  if (!(await tfjs.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
  await tfjs.ready();
  return { tf: tfjs, name: 'cpu', packageName: '@tensorflow/tfjs-backend-cpu', description: `cpu (pure JavaScript, @tensorflow/tfjs ${tfjs.version_core})` };
}

/**
 * Activates a backend and returns it. `auto`: tfjs-node-gpu, then tfjs-node, if importable; else
 * wasm; else cpu. An explicit choice that cannot be loaded throws `EmbedkitError` code
 * `BACKEND_UNAVAILABLE` with the fix in its message.
 *
 * The backend is global to the TensorFlow.js instance: selecting one changes it for every user of
 * that instance in the process.
 *
 * @example
 * ```ts
 * const { tf, name } = await selectBackend('auto');
 * console.log(name); // 'wasm' when tfjs-node is not installed
 * ```
 */
export async function selectBackend(choice: BackendChoice = 'auto', options: SelectBackendOptions = {}): Promise<TfjsBackend> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new RangeError(`backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${String(choice)}`);
  }
  const nativePackages = options.nativePackages ?? NATIVE_PACKAGES;
  if (!Array.isArray(nativePackages) || nativePackages.some((p) => typeof p !== 'string')) {
    throw new TypeError('nativePackages must be an array of module specifiers');
  }
  if (choice === 'auto' || choice === 'tensorflow') {
    const native = await tryNative(nativePackages);
    if (native.backend !== undefined) return native.backend;
    if (choice === 'tensorflow') {
      const cause = native.errors[native.errors.length - 1];
      const message =
        native.installedButBroken === undefined
          ? `Backend 'tensorflow' needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu, and neither is installed. ${HOW_TO_ADD_NATIVE}`
          : `Backend 'tensorflow': ${native.installedButBroken} is installed but failed to load (${String((cause as Error | undefined)?.message ?? cause)}). Reinstall it so that it can fetch libtensorflow, or choose backend 'wasm' or 'cpu'.`;
      throw new EmbedkitError<Word2VecTfjsErrorCode>('BACKEND_UNAVAILABLE', message, { cause });
    }
  }
  if (choice === 'auto' || choice === 'wasm') {
    const wasm = await tryWasm();
    if (wasm.backend !== undefined) return wasm.backend;
    if (choice === 'wasm') {
      throw new EmbedkitError<Word2VecTfjsErrorCode>(
        'BACKEND_UNAVAILABLE',
        `Backend 'wasm' failed to load (${String((wasm.error as Error | undefined)?.message ?? wasm.error)}). Check that @tensorflow/tfjs-backend-wasm is installed with its .wasm files, or choose backend 'cpu'.`,
        { cause: wasm.error },
      );
    }
  }
  return useCpu();
}
