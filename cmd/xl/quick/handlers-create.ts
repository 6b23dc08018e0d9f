/** Stands for cmd/xl/handlers.ts in the quick `xl create` bundle: create is its one command. */
import type { Handler } from '../handlers';
import { mainCreate } from '../create';
import { onlyHandlers } from './only';

export type { Handler };

export const HANDLERS = onlyHandlers({ main_create: mainCreate });
