/**
 * Node built-ins that only rare paths need (`node:os` when HOME is unset,
 * `node:sea` to ask whether we run as a single executable), loaded on first
 * use: a bundled `import` would load them on every command's start.
 */
type NodeRequire = (id: string) => unknown;

/** CommonJS require: the bundle's own, else (tests run the ESM sources) one made for this file. */
export function nodeRequire(): NodeRequire {
  if (typeof require === 'function') return require;
  const m = (process as unknown as { getBuiltinModule(id: string): typeof import('node:module') }).getBuiltinModule('node:module');
  return m.createRequire(import.meta.url);
}

export function lazyOs(): typeof import('node:os') {
  return nodeRequire()('node:os') as typeof import('node:os');
}

export function lazySea(): typeof import('node:sea') {
  return nodeRequire()('node:sea') as typeof import('node:sea');
}
