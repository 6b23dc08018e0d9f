/**
 * The handler table of a quick bundle: the commands it was built for, and
 * for every other command of the table a hand-over to the full xl (which
 * also says which commands are not simulated).
 */
import type { Handler } from '../handlers';
import { CMD_TABLE } from '../commands';
import { handOver } from './handover';

export function onlyHandlers(own: Record<string, Handler>): Record<string, Handler> {
  const table: Record<string, Handler> = Object.fromEntries(CMD_TABLE.map((c) => [c.impl, () => handOver(`run xl ${c.name}`)]));
  return Object.assign(table, own);
}
