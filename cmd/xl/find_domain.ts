/**
 * find_domain (tools/xl/xl_utils.c) over libxl_domain_qualifier_to_domid:
 * all digits (even none) is a domid taken on trust; anything else must be
 * the exact name of a domain, or the command ends with exit 1.
 */
import { Exit } from '../io';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { nameToDomid } from '../../lib/libxl/domain';
import type { XlContext } from './context';

/** strtoul's view of an all-digit string, truncated to uint32 as the C assignment does */
export function strtoulDomid(s: string): number {
  if (s === '') return 0;
  const n = Number(s);
  return n > 0xffffffff ? 0xffffffff : n;
}

export function qualifierToDomid(lx: LibxlCtx, name: string): { rc: number; domid: number } {
  if (/^[0-9]*$/.test(name)) return { rc: 0, domid: strtoulDomid(name) };
  return nameToDomid(lx, name);
}

export function findDomain(ctx: XlContext, lx: LibxlCtx, p: string): number {
  const r = qualifierToDomid(lx, p);
  if (r.rc) {
    ctx.io.stderr.write(`${p} is an invalid domain identifier (rc=${r.rc})\n`);
    throw new Exit(1);
  }
  return r.domid;
}
