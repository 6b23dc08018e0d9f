/**
 * `xl domid`, `xl domname` (tools/xl/xl_info.c main_domid, main_domname)
 * and `xl rename` (tools/xl/xl_misc.c main_rename).
 */
import { domainRename, domidToName, nameToDomid } from '../../lib/libxl/domain';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';

export function mainDomid(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'domid', 1);
  const name = p.args[0]!;
  return withLibxl(ctx, (lx) => {
    const r = nameToDomid(lx, name);
    if (r.rc) {
      ctx.io.stderr.write(`Can't get domid of domain name '${name}', maybe this domain does not exist.\n`);
      return 1;
    }
    ctx.io.stdout.write(`${r.domid}\n`);
    return 0;
  });
}

/** strtol as domname uses it: leading blanks and sign, then digits; value as uint32 */
function strtolUint32(s: string): { value: number; digits: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return { value: 0, digits: false };
  let v = Number(m[2]);
  if (v > 0x7fffffffffffffff) v = 0x7fffffffffffffff;
  if (m[1] === '-') v = -v;
  return { value: ((v % 2 ** 32) + 2 ** 32) % 2 ** 32, digits: true };
}

export function mainDomname(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'domname', 1);
  const arg = p.args[0]!;
  const { value, digits } = strtolUint32(arg);
  if (value === 0 && !digits) {
    ctx.io.stderr.write('Invalid domain id.\n\n');
    return 1;
  }
  return withLibxl(ctx, (lx) => {
    const name = domidToName(lx, value);
    if (name === undefined) {
      ctx.io.stderr.write(`Can't get domain name of domain id '${value}', maybe this domain does not exist.\n`);
      return 1;
    }
    ctx.io.stdout.write(`${name}\n`);
    return 0;
  });
}

export function mainRename(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'rename', 2);
  const dom = p.args[0]!;
  const newName = p.args[1]!;
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, dom);
    const common = domidToName(lx, domid);
    if (domainRename(lx, domid, common, newName)) {
      ctx.io.stderr.write(`Can't rename domain '${dom}'.\n`);
      return 1;
    }
    return 0;
  });
}
