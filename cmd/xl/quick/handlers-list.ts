/** Stands for cmd/xl/handlers.ts in the quick `xl list` bundle: list is its one command. */
import type { Handler } from '../handlers';
import { mainList } from '../list';
import { onlyHandlers } from './only';

export type { Handler };

export const HANDLERS = onlyHandlers({ main_list: mainList });
