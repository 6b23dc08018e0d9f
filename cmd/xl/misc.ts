/**
 * `xl dump-core`, `xl sysrq`, `xl trigger`: twins of main_dump_core,
 * main_sysrq and main_trigger in tools/xl/xl_misc.c.
 */
import path from 'node:path';
import { coreDump } from '../../lib/libxl/coredump';
import { sendSysrq, sendTrigger, triggerFromString } from '../../lib/libxl/pvcontrol';
import type { XlContext } from './context';
import { commandHelp } from './help';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';

export function mainDumpCore(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'dump-core', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const rc = coreDump(lx, domid, path.resolve(ctx.io.cwd, p.args[1]!));
    if (rc) {
      ctx.io.stderr.write(`core dump failed (rc=${rc})\n`);
      return 1;
    }
    return 0;
  });
}

export function mainSysrq(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'sysrq', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const key = p.args[1]!;
    if (key.length !== 1) {
      ctx.io.stderr.write('Invalid sysrq.\n\n');
      ctx.io.stdout.write(commandHelp('sysrq'));
      return 1;
    }
    sendSysrq(lx, domid, key);
    return 0;
  });
}

export function mainTrigger(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'trigger', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const name = p.args[1]!;
    const trigger = triggerFromString(name);
    if (trigger === undefined) {
      ctx.io.stderr.write(`Invalid trigger "${name}"\n`);
      return 1;
    }
    let vcpu = 0;
    const v = p.args[2];
    if (v !== undefined) {
      const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(v);
      vcpu = m ? Number(m[1]) : 0;
      if (vcpu === 0 && !m) ctx.io.stderr.write('Invalid vcpuid, using default vcpuid=0.\n\n');
    }
    sendTrigger(lx, domid, trigger, vcpu);
    return 0;
  });
}
