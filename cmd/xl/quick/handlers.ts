/**
 * Stands for cmd/xl/handlers.ts in the quick `xl list` bundle: list is the
 * one command here; every other one is handed to the full xl (which also
 * says which are not simulated).
 */
import type { Handler } from '../handlers';
import { CMD_TABLE } from '../commands';
import { mainList } from '../list';
import { handOver } from './handover';

export type { Handler };

export const HANDLERS: Record<string, Handler> = Object.fromEntries(CMD_TABLE.map((c) => [c.impl, () => handOver(`run xl ${c.name}`)]));
HANDLERS.main_list = mainList;
