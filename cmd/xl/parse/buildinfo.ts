/**
 * parse_config_data(), the keys read for every guest type between the
 * pass-through block and the per-type switch: paging, TSC, time, video
 * memory, event channels, direct kernel boot, bootloader, timer mode and
 * nested HVM (tools/xl/xl_parse.c).
 */
import { enumFromString, enumToString } from '../../../lib/libxl/types';
import { EXIT_ERROR_FAIL, type ParseEnv } from './env';
import { splitStringList } from '../../../lib/cfg/split';
import { ESRCH, EINVAL } from './xlu';

/** the deprecation warning xl prints for a numeric tsc_mode/timer_mode */
function numericModeWarning(key: string, name: string | undefined): string {
  const eg = name !== undefined ? `e.g. ${key}="${name}"` : '';
  return `WARNING: specifying "${key}" as an integer is deprecated. Please use the named parameter variant. ${eg}\n`;
}

function parseCmdline(env: ParseEnv): string | undefined {
  const { x } = env;
  const c = x.getString('cmdline');
  const r = x.getString('root');
  const e = x.getString('extra');
  const buf = c.rc === 0 ? c.value : undefined;
  const root = r.rc === 0 ? r.value : undefined;
  const extra = e.rc === 0 ? e.value : undefined;
  if (buf !== undefined) {
    if (root !== undefined || extra !== undefined) env.err('Warning: ignoring root= and extra= in favour of cmdline=\n');
    return buf;
  }
  if (root !== undefined && extra !== undefined) return `root=${root} ${extra}`;
  if (root !== undefined) return `root=${root}`;
  return extra;
}

export function parseCommonBuildInfo(env: ParseEnv): void {
  const { x, d } = env;
  const c = d.c_info;
  const b = d.b_info;

  const shadow = x.getLong('shadow_memory');
  if (shadow.rc === 0) b.shadow_memkb = shadow.value * 1024;

  const nomig = x.getDefbool('nomigrate');
  if (nomig.rc === 0) b.disable_migrate = nomig.value;

  const tscNum = x.getLong('tsc_mode', true);
  if (tscNum.rc === 0) {
    const l = tscNum.value;
    env.err(numericModeWarning('tsc_mode', enumToString('tsc_mode', l)));
    if (l < 0 || l > 3) {
      env.err(`ERROR: invalid value ${l} for "tsc_mode"\n`);
      env.exit(1);
    }
    b.tsc_mode = enumToString('tsc_mode', l) as NonNullable<typeof b.tsc_mode>;
  } else {
    const tsc = x.getString('tsc_mode');
    if (tsc.rc === 0) {
      const v = enumFromString('tsc_mode', tsc.value);
      if (v === undefined) {
        env.err(`ERROR: invalid value "${tsc.value}" for "tsc_mode"\n`);
        env.exit(1);
      }
      b.tsc_mode = v;
    }
  }

  const rtc = x.getLong('rtc_timeoffset');
  if (rtc.rc === 0) b.rtc_timeoffset = rtc.value >>> 0; // uint32_t

  if (x.getLong('vncviewer').rc === 0) {
    env.err('WARNING: ignoring "vncviewer" option. Use "-V" option of "xl create" to automatically spawn vncviewer.\n');
  }

  const lt = x.getDefbool('localtime');
  if (lt.rc === 0) b.localtime = lt.value;

  const vram = x.getLong('videoram');
  if (vram.rc === 0) b.video_memkb = vram.value * 1024;

  const evt = x.getLong('max_event_channels');
  if (evt.rc === 0) b.event_channels = evt.value >>> 0; // uint32_t

  for (const key of ['kernel', 'ramdisk', 'device_tree'] as const) {
    const r = x.getString(key);
    if (r.rc === 0) b[key] = r.value;
  }
  const cmdline = parseCmdline(env);
  if (cmdline !== undefined) b.cmdline = cmdline;

  const dd = x.getDefbool('driver_domain');
  if (dd.rc === 0) c.driver_domain = dd.value;
  const acpi = x.getDefbool('acpi');
  if (acpi.rc === 0) b.acpi = acpi.value;

  // xlsim models a Xen built with pygrub, so bootloader="pygrub" is accepted
  const bl = x.getString('bootloader');
  if (bl.rc === 0) b.bootloader = bl.value;

  const br = x.getDefbool('bootloader_restrict');
  if (br.rc === 0) b.bootloader_restrict = br.value;
  if (env.g.bootloaderRestrict !== undefined && b.bootloader_restrict === undefined) {
    b.bootloader_restrict = env.g.bootloaderRestrict;
  }
  const bu = x.getString('bootloader_user');
  if (bu.rc === 0) b.bootloader_user = bu.value;

  const ba = x.getListAsStringList('bootloader_args', true);
  if (ba.rc === 0) b.bootloader_args = ba.value;
  else if (ba.rc === EINVAL) {
    const s = x.getString('bootloader_args');
    if (s.rc === 0) {
      env.err('WARNING: Specifying "bootloader_args" as a string is deprecated. Please use a list of arguments.\n');
      const args = splitStringList(s.value, ' \t\n');
      // nothing to split: C strdup()s a NULL and dies (SIGSEGV, status 139)
      if (args === null) env.exit(139);
      b.bootloader_args = args;
    }
  } else if (ba.rc !== ESRCH) {
    env.err('xl: Unable to parse bootloader_args.\n');
    env.exit(EXIT_ERROR_FAIL);
  }

  const tmNum = x.getLong('timer_mode', true);
  if (tmNum.rc === 0) {
    const l = tmNum.value;
    if (b.type === 'pv') {
      env.err('ERROR: "timer_mode" option is not supported for PV guests.\n');
      env.exit(EXIT_ERROR_FAIL);
    }
    env.err(numericModeWarning('timer_mode', enumToString('timer_mode', l)));
    if (l < 0 || l > 3) {
      env.err(`ERROR: invalid value ${l} for "timer_mode"\n`);
      env.exit(1);
    }
    b.timer_mode = enumToString('timer_mode', l) as NonNullable<typeof b.timer_mode>;
  } else {
    const tm = x.getString('timer_mode');
    if (tm.rc === 0) {
      if (b.type === 'pv') {
        env.err('ERROR: "timer_mode" option is not supported for PV guests.\n');
        env.exit(EXIT_ERROR_FAIL);
      }
      const v = enumFromString('timer_mode', tm.value);
      if (v === undefined) {
        env.err(`ERROR: invalid value "${tm.value}" for "timer_mode"\n`);
        env.exit(1);
      }
      b.timer_mode = v;
    }
  }

  const nh = x.getDefbool('nestedhvm');
  if (nh.rc === 0) b.nested_hvm = nh.value;
}

/** altp2m, altp2m_count and vmtrace_buf_kb: read for every type after the type switch */
export function parseAltp2m(env: ParseEnv): void {
  const { x } = env;
  const b = env.d.b_info;
  const n = x.getLong('altp2m', true);
  if (n.rc === 0) {
    if (n.value < 0 || n.value > 3) {
      env.err(`ERROR: invalid value ${n.value} for "altp2m"\n`);
      env.exit(1);
    }
    b.altp2m = enumToString('altp2m_mode', n.value) as NonNullable<typeof b.altp2m>;
  } else {
    const s = x.getString('altp2m');
    if (s.rc === 0) {
      const v = enumFromString('altp2m_mode', s.value);
      if (v === undefined) {
        env.err(`ERROR: invalid value "${s.value}" for "altp2m"\n`);
        env.exit(1);
      }
      b.altp2m = v;
    }
  }

  const cnt = x.getLong('altp2m_count', true);
  if (cnt.rc === 0) {
    if (cnt.value < 0 || cnt.value > 0xffff) {
      env.err(`ERROR: invalid value ${cnt.value} for "altp2m_count"\n`);
      env.exit(1);
    }
    b.altp2m_count = cnt.value;
  }

  const vt = x.getLong('vmtrace_buf_kb', true);
  if (vt.rc === 0 && vt.value) b.vmtrace_buf_kb = vt.value >>> 0;
}
