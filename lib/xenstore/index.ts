/** The xenstore layer's public surface. */
export * from './backend';
export * from './errno';
export * from './memory';
export * from './path';
export * from './perms';
export * from './store';
