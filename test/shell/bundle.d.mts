/** The bundle path the shell tests run (see bundle.mjs). */
export function shellBundle(): Promise<string>;
