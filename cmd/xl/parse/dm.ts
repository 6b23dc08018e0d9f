/**
 * parse_config_data(), the device-model stretch: cpuid, the device model
 * keys, the QEMU argument lists, and the top-level VNC/SDL keys (a vfb for
 * PV guests, the emulated display for HVM) — tools/xl/xl_parse.c.
 */
import { newDeviceVfb, newDeviceVkb, type CpuidLeafPolicy, type SdlInfo, type VncInfo } from '../../../lib/libxl/types';
import { hvmInfo } from '../../../lib/libxl/types';
import { EXIT_ERROR_FAIL, type ParseEnv } from './env';
import { strtok, strtoul } from '../../../lib/cfg/cconv';
import { ESRCH, EINVAL } from './xlu';

function parseTopLevelVnc(env: ParseEnv, vnc: VncInfo): void {
  const { x } = env;
  const en = x.getDefbool('vnc');
  if (en.rc === 0) vnc.enable = en.value;
  const l = x.getString('vnclisten');
  if (l.rc === 0) vnc.listen = l.value;
  const p = x.getString('vncpasswd');
  if (p.rc === 0) vnc.passwd = p.value;
  const dsp = x.getLong('vncdisplay');
  if (dsp.rc === 0) vnc.display = dsp.value >>> 0;
  const u = x.getDefbool('vncunused');
  if (u.rc === 0) vnc.findunused = u.value;
}

function parseTopLevelSdl(env: ParseEnv, sdl: SdlInfo): void {
  const { x } = env;
  const en = x.getDefbool('sdl');
  if (en.rc === 0) sdl.enable = en.value;
  const gl = x.getDefbool('opengl');
  if (gl.rc === 0) sdl.opengl = gl.value;
  const dsp = x.getString('display');
  if (dsp.rc === 0) sdl.display = dsp.value;
  const xa = x.getString('xauthority');
  if (xa.rc === 0) sdl.xauthority = xa.value;
}

/**
 * cpuid= in both forms. Errors are printed and parsing goes on, as in xl.
 * The xend form (a list of "leaf[,subleaf]:eXx=<32 chars>,...") is stored
 * as libxl does; the libxl form ("host,flag=value,...") is checked for its
 * shape only — libxl's flag-name tables are not reproduced, so nothing is
 * stored for it and unknown flag names go unnoticed.
 */
function parseCpuid(env: ParseEnv): void {
  const l = env.x.getList('cpuid', true);
  if (l.rc === 0) {
    const leaves: CpuidLeafPolicy[] = [];
    for (let i = 0; ; i++) {
      const buf = l.value.item(i);
      if (buf === undefined) break;
      const e = cpuidParseXend(leaves, buf);
      if (e === 0) continue;
      env.err(`while parsing CPUID line: "${buf}":\n`);
      env.err(`  error #${e}: ${XEND_ERRORS[e] ?? 'unknown error'}\n`);
    }
    if (leaves.length) env.d.b_info.cpuid = { cpuid: leaves, msr: [] };
    return;
  }
  if (l.rc !== EINVAL) return;
  const s = env.x.getString('cpuid');
  if (s.rc !== 0) return;
  const words = strtok(s.value, ',');
  if (words.length === 0) return;
  if (words[0] !== 'host') {
    env.err(`while parsing CPUID string: "${s.value}":\n`);
    env.err('  error: first word must be "host"\n');
    return;
  }
  for (const p of words.slice(1)) {
    const eq = p.indexOf('=');
    let e = 0;
    if (eq < 0) e = 1;
    else {
      // cpuid_add(): a number (any strtoul digits) or a word starting x/k/s
      const val = p.slice(eq + 1);
      if (strtoul(val, 0).end === 0 && !'xks'.includes(val[0] ?? '-')) e = 3;
    }
    if (e === 0) continue;
    env.err(`while parsing CPUID flag: "${p}":\n`);
    env.err(`  error #${e}: ${e === 1 ? 'missing "=" in key=value' : 'illegal CPUID value (must be: [0|1|x|k|s])'}\n`);
  }
}

const XEND_ERRORS: Record<number, string> = {
  1: 'illegal leaf number',
  2: 'illegal subleaf number',
  3: 'missing colon',
  4: 'invalid register name (must be e[abcd]x)',
  5: 'policy string must be exactly 32 characters long',
};

const REGS = ['eax', 'ebx', 'ecx', 'edx'] as const;
// XEN_CPUID_INPUT_UNUSED: no subleaf
const UNUSED = 0xffffffff;

/**
 * libxl_cpuid_parse_config_xend: the (leaf, subleaf) entry is found or made
 * before the registers are read, so an entry survives a later error.
 */
function cpuidParseXend(leaves: CpuidLeafPolicy[], s: string): number {
  const lf = strtoul(s, 0);
  if (lf.end === 0) return 1;
  const leaf = Number(BigInt.asUintN(32, lf.value));
  let subleaf = UNUSED;
  let end = lf.end;
  if (s[end] === ',') {
    const sub = strtoul(s, 0, end + 1);
    if (sub.end === end + 1) return 2;
    subleaf = Number(BigInt.asUintN(32, sub.value));
    end = sub.end;
  }
  if (s[end] !== ':') return 3;
  let entry = leaves.find((e) => e.leaf === leaf && (e.subleaf ?? UNUSED) === subleaf);
  if (!entry) {
    entry = subleaf === UNUSED ? { leaf } : { leaf, subleaf };
    leaves.push(entry);
  }
  let i = end + 1;
  while (i < s.length) {
    if (s[i] !== 'e' || s[i + 2] !== 'x') return 4;
    const reg = 'abcd'.indexOf(s[i + 1] ?? '');
    const eq = s.indexOf('=', i);
    if (reg < 0 || eq < 0) return 4;
    const start = eq + 1;
    let stop = s.indexOf(',', start);
    if (stop < 0) stop = s.length;
    if (stop - start !== 32) return 5;
    entry[REGS[reg]!] = s.slice(start, stop);
    if (stop === s.length) break;
    i = stop + 1;
    while (s[i] === ' ' || s[i] === '\n') i++;
  }
  return 0;
}

export function parseDeviceModel(env: ParseEnv): void {
  const { x, d } = env;
  const c = d.c_info;
  const b = d.b_info;

  parseCpuid(env);

  const dm = x.getString('device_model');
  if (dm.rc === 0) {
    env.err(
      'WARNING: ignoring device_model directive.\n' +
        'WARNING: Use "device_model_override" instead if you really want a non-default device_model\n',
    );
    if (dm.value.includes('stubdom-dm')) {
      if (c.type === 'hvm') env.err('WARNING: Or use "device_model_stubdomain_override" if you  want to enable stubdomains\n');
      else env.err('WARNING: ignoring "device_model_stubdomain_override" directive for pv guest\n');
    }
  }

  const dmo = x.getString('device_model_override');
  if (dmo.rc === 0) b.device_model = dmo.value;
  const dmv = x.getString('device_model_version');
  if (dmv.rc === 0) {
    if (dmv.value === 'qemu-xen') b.device_model_version = 'qemu_xen';
    else {
      env.err(`Unknown device_model_version "${dmv.value}" specified\n`);
      env.exit(1);
    }
  } else if (b.device_model !== undefined) {
    env.err('WARNING: device model override given without specific DM version\n');
  }
  const stub = x.getDefbool('device_model_stubdomain_override');
  if (stub.rc === 0) b.device_model_stubdomain = stub.value;
  const sl = x.getString('device_model_stubdomain_seclabel');
  if (sl.rc === 0) b.device_model_ssid_label = sl.value;
  const dmu = x.getString('device_model_user');
  if (dmu.rc === 0) b.device_model_user = dmu.value;
  for (const key of ['stubdomain_kernel', 'stubdomain_cmdline', 'stubdomain_ramdisk'] as const) {
    const r = x.getString(key);
    if (r.rc === 0) b[key] = r.value;
  }
  const sm = x.getLong('stubdomain_memory');
  if (sm.rc === 0) b.stubdomain_memkb = sm.value * 1024;

  for (const [suffix, field] of [
    ['', 'extra'],
    ['_pv', 'extra_pv'],
    ['_hvm', 'extra_hvm'],
  ] as const) {
    const r = x.getListAsStringList(`device_model_args${suffix}`);
    if (r.rc === 0) b[field] = r.value;
    else if (r.rc !== ESRCH) {
      env.err(`xl: Unable to parse device_model_args${suffix}.\n`);
      env.exit(EXIT_ERROR_FAIL);
    }
  }

  // A PV guest without vfb= gets one from the top-level keys when vnc=1.
  if (c.type === 'pv' && !(d.vfbs ?? []).length) {
    const v = x.getLong('vnc');
    if (v.rc === 0 && v.value) {
      const vfb = newDeviceVfb();
      vfb.devid = (d.vfbs ?? []).length;
      const vkb = newDeviceVkb();
      vkb.devid = (d.vkbs ?? []).length;
      parseTopLevelVnc(env, vfb.vnc);
      parseTopLevelSdl(env, vfb.sdl);
      const km = x.getString('keymap');
      if (km.rc === 0) vfb.keymap = km.value;
      d.vfbs = [...(d.vfbs ?? []), vfb];
      d.vkbs = [...(d.vkbs ?? []), vkb];
    }
  } else if (b.type === 'hvm') {
    const h = hvmInfo(b);
    parseTopLevelVnc(env, h.vnc);
    parseTopLevelSdl(env, h.sdl);
  } else {
    // C writes these into union memory a PV/PVH guest never looks at;
    // the reads (and their warnings) still happen
    parseTopLevelVnc(env, {});
    parseTopLevelSdl(env, {});
  }

  const dr = x.getDefbool('dm_restrict');
  if (dr.rc === 0) b.dm_restrict = dr.value;
}
