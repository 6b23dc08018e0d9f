/**
 * `xl dump-core`, `xl sysrq`, `xl trigger`, `xl button-press`: twins of
 * main_dump_core, main_sysrq, main_trigger and main_button_press in
 * tools/xl/xl_misc.c; `xl vncviewer`: main_vncviewer in tools/xl/xl_console.c.
 */
import path from 'node:path';
import { coreDump } from '../../lib/libxl/coredump';
import { sendSysrq, sendTrigger, triggerFromString } from '../../lib/libxl/pvcontrol';
import type { XlContext } from './context';
import { commandHelp } from './help';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { libxlLog, where } from '../../lib/libxl/log';
import type { LibxlCtx } from '../../lib/libxl/ctx';

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

export function mainButtonPress(ctx: XlContext, argv: string[]): number {
  ctx.io.stderr.write('WARNING: "button-press" is deprecated. Please use "trigger"\n');
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'button-press', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const b = p.args[1]!;
    if (b !== 'power' && b !== 'sleep') {
      ctx.io.stderr.write(`${b} is an invalid button identifier\n`);
      return 1;
    }
    sendTrigger(lx, domid, b, 0);
    return 0;
  });
}

/**
 * main_vncviewer / libxl_vncviewer_exec: the viewer is a program of the
 * real machine, which a simulation never starts (DESIGN principle 6), so
 * the exec fails as it does where no viewer is installed.
 */
export function mainVncviewer(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'a', [{ name: 'autopass', hasArg: 0, val: 'a' }, { name: 'vncviewer-autopass', hasArg: 0, val: 'a' }], 'vncviewer', 1);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    return vncviewerExec(ctx, lx, domid);
  });
}

export function vncviewerExec(ctx: XlContext, lx: LibxlCtx, domid: number): number {
  const port = lx.xs.tryRead(`/local/domain/${domid}/console/vnc-port`);
  if (port === undefined) {
    libxlLog(lx.xtl, 'error', where('libxl_console.c', 215, 'libxl_vncviewer_exec'), domid, 'Cannot get vnc-port');
    return 1;
  }
  const bin = ctx.io.env.VNCVIEWER || 'vncviewer';
  ctx.io.stderr.write(`libxl: cannot execute ${bin}: No such file or directory\n`);
  return 255;
}
