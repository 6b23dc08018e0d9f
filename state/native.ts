/**
 * What a single executable (Node SEA, `npm run build:sea`) carries as
 * assets and must put on disk before use:
 *
 * - better-sqlite3's native addon. Inside a SEA `require` loads only
 *   built-ins and dlopen needs a real file, so the addon is written to a
 *   private temporary directory keyed by the module ABI
 *   (`process.versions.modules`) and by the addon's own digest (two builds
 *   with the same ABI never share a stale file), loaded with
 *   `process.dlopen`, and handed to better-sqlite3 as the `nativeBinding`
 *   object (the path form would go through SEA's `require` and fail).
 * - the shipped `configs/` (host profiles, the default xl.conf), so the
 *   executable works wherever it is copied.
 *
 * The build script writes the asset `xlsim-sea.json` (the manifest below);
 * outside a SEA every function here is a no-op returning undefined.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lazyOs, lazySea } from './builtin';
import type Database from 'better-sqlite3';

/** The asset names; scripts/build-sea.mjs uses the same ones. */
export const SEA_MANIFEST_ASSET = 'xlsim-sea.json';
export const SEA_NATIVE_ASSET = 'better_sqlite3.node';
export const SEA_CONFIG_ASSET_PREFIX = 'configs/';

export interface SeaManifest {
  /** package version the executable was built from */
  readonly version: string;
  /** sha256 (hex) of the embedded better_sqlite3.node */
  readonly nativeSha256: string;
  /** its size in bytes (an extracted copy of another size is incomplete) */
  readonly nativeSize: number;
  /** sha256 over the embedded configs (names and contents) */
  readonly configsSha256: string;
  /** the embedded config files, relative to configs/ */
  readonly configs: readonly string[];
}

let manifestCache: SeaManifest | undefined;
let bindingCache: object | undefined;

/** Set by the bundlers: false in dist/*.cjs, true in the SEA's bundle; unset when tests run the sources. */
declare const __XLSIM_SEA__: boolean | undefined;

export function runningAsSea(): boolean {
  // known at build time in a bundle: no need to load node:sea on every start
  if (typeof __XLSIM_SEA__ !== 'undefined') return __XLSIM_SEA__;
  try {
    return lazySea().isSea();
  } catch {
    return false;
  }
}

export function seaManifest(): SeaManifest | undefined {
  if (!runningAsSea()) return undefined;
  manifestCache ??= JSON.parse(lazySea().getAsset(SEA_MANIFEST_ASSET, 'utf8')) as SeaManifest;
  return manifestCache;
}

function isPrivateDir(dir: string): boolean {
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
}

/**
 * A directory only this user can write: the addon loaded from it runs with
 * the user's rights, so a directory another user could plant a file in (a
 * shared /tmp) is never trusted.
 */
function privateDir(base: string, name: string): string {
  const uid = process.getuid?.() ?? 0;
  const dir = path.join(base, `${name}-${uid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (isPrivateDir(dir)) return dir;
  } catch {
    // fall through to a fresh directory
  }
  return fs.mkdtempSync(path.join(base, `${name}-`));
}

/** Writes a file so that a concurrent reader sees all of it or nothing. */
function writeAtomic(file: string, data: Uint8Array, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode });
  fs.renameSync(tmp, file);
}

function cacheBases(env: Record<string, string | undefined>): string[] {
  // /tmp first (the usual place); a per-user cache directory when /tmp is
  // mounted noexec and dlopen refuses it.
  const os = lazyOs();
  const home = env.HOME ?? os.homedir();
  return [os.tmpdir(), env.XDG_CACHE_HOME || path.join(home, '.cache')];
}

function loadAddon(m: SeaManifest, env: Record<string, string | undefined>): object {
  let lastError: unknown;
  for (const base of cacheBases(env)) {
    try {
      const dir = privateDir(base, `xlsim-native-${process.versions.modules}`);
      const file = path.join(dir, `better_sqlite3-${m.nativeSha256.slice(0, 16)}.node`);
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(file);
      } catch {
        st = undefined;
      }
      // the asset is copied out of the binary only when it is not on disk yet
      if (!st || st.size !== m.nativeSize) writeAtomic(file, new Uint8Array(lazySea().getAsset(SEA_NATIVE_ASSET)), 0o700);
      const mod = { exports: {} as object };
      process.dlopen(mod, file);
      return mod.exports;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/**
 * The `nativeBinding` option for `new Database(file, {...})`: the loaded
 * addon inside a single executable, undefined otherwise (better-sqlite3
 * then finds its addon through node_modules as usual).
 */
export function nativeBinding(env: Record<string, string | undefined> = process.env): Database.Options['nativeBinding'] {
  const m = seaManifest();
  if (!m) return undefined;
  bindingCache ??= loadAddon(m, env);
  // @types/better-sqlite3 declares only the path form; lib/database.js also
  // takes the addon object, which is the only form that works in a SEA.
  return bindingCache as unknown as string;
}

/**
 * Inside a single executable: the embedded configs/ extracted to a private
 * cache directory (once per build), for XLSIM_CONFIG_DIR. Undefined
 * outside a SEA.
 */
export function seaConfigDir(env: Record<string, string | undefined> = process.env): string | undefined {
  const m = seaManifest();
  if (!m) return undefined;
  let lastError: unknown;
  for (const base of cacheBases(env)) {
    try {
      const dir = path.join(privateDir(base, 'xlsim-configs'), m.configsSha256.slice(0, 16));
      // the stamp is written last: its presence means every file is there
      const stamp = path.join(dir, '.complete');
      if (fs.existsSync(stamp)) return dir;
      for (const rel of m.configs) {
        const file = path.join(dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        writeAtomic(file, new Uint8Array(lazySea().getAsset(SEA_CONFIG_ASSET_PREFIX + rel)), 0o600);
      }
      writeAtomic(stamp, new Uint8Array(0), 0o600);
      return dir;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
