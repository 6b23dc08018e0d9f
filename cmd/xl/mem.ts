/**
 * `xl mem-set`, `xl mem-max`: twins of main_memset / set_memory_target and
 * main_memmax / set_memory_max in tools/xl/xl_mem.c, with
 * parse_mem_size_kb from tools/xl/xl_parse.c (bare numbers are MiB).
 */
import { domainSetmaxmem, setMemoryTarget } from '../../lib/libxl/mem';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';

/** parse_mem_size_kb: KiB, or -1 for anything it cannot read */
export function parseMemSizeKb(mem: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(mem);
  let kb = m ? Number(m[1]) : 0;
  const rest = m ? mem.slice(m[0].length) : mem;
  if (rest.length > 1) return -1;
  switch (rest.toLowerCase()) {
    case 't':
      kb *= 1024 ** 3;
      break;
    case 'g':
      kb *= 1024 ** 2;
      break;
    case '':
    case 'm':
      kb *= 1024;
      break;
    case 'k':
      break;
    case 'b':
      kb = Math.floor(kb / 1024);
      break;
    default:
      return -1;
  }
  return kb;
}

export function mainMemset(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'mem-set', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const mem = p.args[1]!;
    const kb = parseMemSizeKb(mem);
    if (kb === -1) {
      ctx.io.stderr.write(`invalid memory size: ${mem}\n`);
      return 1;
    }
    if (setMemoryTarget(lx, domid, kb, false, true)) {
      ctx.io.stderr.write(`cannot set domid ${domid} dynamic max memory to : ${mem}\n`);
      return 1;
    }
    return 0;
  });
}

export function mainMemmax(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'mem-max', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const mem = p.args[1]!;
    const kb = parseMemSizeKb(mem);
    if (kb === -1) {
      ctx.io.stderr.write(`invalid memory size: ${mem}\n`);
      return 1;
    }
    if (domainSetmaxmem(lx, domid, kb)) {
      ctx.io.stderr.write(`cannot set domid ${domid} static max memory to : ${mem}\n`);
      return 1;
    }
    return 0;
  });
}
