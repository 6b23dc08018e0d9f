/**
 * The per-type switch of parse_config_data() (tools/xl/xl_parse.c): the
 * HVM firmware, platform and Viridian keys, SMBIOS, MCA, and the firmware=
 * mapping for HVM; firmware=pvgrub and the boot requirement for PV/PVH.
 * Keys read here are silently ignored for the other types.
 */
import { enumFromString, hvmInfo, type Bitmap, type HvmBuildInfo, type Smbios } from '../../../lib/libxl/types';
import { EXIT_ERROR_FAIL, type ParseEnv } from './env';
import { isPrefixOf } from './identity';
import { hint } from './hint';
import { XENFIRMWAREDIR } from './paths';
import { ESRCH, EINVAL } from './xlu';

// hvm/e820.h
const HVM_BELOW_4G_MMIO_LENGTH = 0x10000000;
const HVM_BELOW_4G_MMIO_START = 0xf0000000;
// LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH
const VIRIDIAN_WIDTH = 64;
const XEN_HVM_MCA_CAP_LMCE = 1;

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function defbools(env: ParseEnv, h: HvmBuildInfo, keys: ReadonlyArray<readonly [string, keyof HvmBuildInfo]>): void {
  for (const [key, field] of keys) {
    const r = env.x.getDefbool(key);
    if (r.rc === 0) (h as unknown as Record<string, unknown>)[field] = r.value;
  }
}

export function parseTypeSpecific(env: ParseEnv): void {
  if (env.d.b_info.type === 'hvm') parseHvmFirmware(env);
  else parsePvBoot(env);
}

function parseHvmFirmware(env: ParseEnv): void {
  const { x } = env;
  const b = env.d.b_info;
  const h = hvmInfo(b);

  if (b.kernel !== undefined && basename(b.kernel) === 'hvmloader') {
    env.err(
      'WARNING: you seem to be using "kernel" directive to override HVM guest firmware. Ignore that. ' +
        'Use "firmware_override" instead if you really want a non-default firmware\n',
    );
    delete b.kernel;
  }

  const fo = x.getString('firmware_override');
  if (fo.rc === 0) h.firmware = fo.value;
  const bpo = x.getString('bios_path_override');
  if (bpo.rc === 0) h.system_firmware = bpo.value;
  const bios = x.getString('bios');
  if (bios.rc === 0) {
    const v = enumFromString('bios_type', bios.value);
    if (v === undefined) {
      env.err(`ERROR: invalid value "${bios.value}" for "bios"\n`);
      env.exit(1);
    }
    h.bios = v;
  } else if (h.system_firmware !== undefined) {
    env.err('WARNING: bios_path_override given without specific bios name\n');
  }

  defbools(env, h, [
    ['pae', 'pae'],
    ['acpi_s3', 'acpi_s3'],
    ['acpi_s4', 'acpi_s4'],
    ['acpi_laptop_slate', 'acpi_laptop_slate'],
    ['nx', 'nx'],
    ['hpet', 'hpet'],
    ['vpt_align', 'vpt_align'],
  ]);
  // apic lives in b_info proper, but xl reads it only for HVM
  const apic = x.getDefbool('apic');
  if (apic.rc === 0) b.apic = apic.value;
  defbools(env, h, [['hvm_pirq', 'pirq']]);

  parseViridian(env, h);

  const mh = x.getLong('mmio_hole');
  if (mh.rc === 0) {
    h.mmio_hole_memkb = mh.value * 1024;
    const bytes = mh.value * 1024 * 1024;
    if (bytes < HVM_BELOW_4G_MMIO_LENGTH || bytes > HVM_BELOW_4G_MMIO_START) {
      env.err(`ERROR: invalid value ${mh.value} for "mmio_hole"\n`);
      env.exit(1);
    }
  }

  const a2 = x.getDefbool('altp2mhvm');
  if (a2.rc === 0) {
    h.altp2m = a2.value;
    env.err('WARNING: Specifying "altp2mhvm" is deprecated. Please use "altp2m" instead.\n');
  }

  const sf = x.getString('smbios_firmware');
  if (sf.rc === 0) h.smbios_firmware = sf.value;
  const af = x.getString('acpi_firmware');
  if (af.rc === 0) h.acpi_firmware = af.value;

  parseSmbios(env, h);

  const genid = x.getString('ms_vm_genid');
  if (genid.rc === 0) {
    if (genid.value === 'generate') {
      const rnd = env.opts.randomBytes ?? ((n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n))));
      h.ms_vm_genid = rnd(16);
    } else if (genid.value !== 'none') {
      env.err('ERROR: "ms_vm_genid" option must be "generate" or "none"\n');
      env.exit(1);
    }
  }

  const rmb = x.getLong('rdm_mem_boundary');
  if (rmb.rc === 0) h.rdm_mem_boundary_memkb = rmb.value * 1024;

  const mca = x.getList('mca_caps', true);
  if (mca.rc === 0) {
    let caps = 0;
    for (let i = 0; i < mca.value.count; i++) {
      const buf = mca.value.item(i);
      if (buf === 'lmce') caps |= XEN_HVM_MCA_CAP_LMCE;
      else {
        // a nested list would make C strcmp(NULL): refuse it like a bad name
        env.err(`ERROR: unrecognized MCA capability '${buf ?? '(null)'}'.\n`);
        env.exit(EXIT_ERROR_FAIL);
      }
    }
    h.mca_caps = caps;
  } else if (mca.rc !== ESRCH) {
    env.err('ERROR: unable to parse mca_caps.\n');
    env.exit(EXIT_ERROR_FAIL);
  }

  // firmware= is a shorthand for bios= / firmware_override=
  const fw = x.getString('firmware');
  if (fw.rc === 0) {
    const bt = enumFromString('bios_type', fw.value);
    if (bt !== undefined) h.bios = bt;
    else if (isPrefixOf(fw.value, 'uefi')) h.bios = 'ovmf';
    else if (!isPrefixOf(fw.value, 'bios')) h.firmware = fw.value;
  }
}

function parseViridian(env: ParseEnv, h: HvmBuildInfo): void {
  const l = env.x.getList('viridian', true);
  if (l.rc === 0) {
    const enable = new Set<number>();
    const disable = new Set<number>();
    for (let i = 0; i < l.value.count; i++) {
      let buf = l.value.item(i);
      if (buf === undefined) {
        // C would strcmp(NULL) here; a clone refuses instead
        env.err("xl: unknown viridian enlightenment '(null)'\n");
        env.exit(EXIT_ERROR_FAIL);
      }
      if (buf === 'all') {
        for (let k = 0; k < VIRIDIAN_WIDTH; k++) enable.add(k);
      } else if (buf === 'defaults') {
        h.viridian = true;
      } else {
        let s = enable;
        let r = disable;
        if (buf.startsWith('!')) {
          s = disable;
          r = enable;
          buf = buf.slice(1);
        }
        const v = enumFromString('viridian_enlightenment', buf);
        if (v === undefined) {
          env.err(`xl: unknown viridian enlightenment '${buf}'\n`);
          env.exit(EXIT_ERROR_FAIL);
        }
        const bit = VIRIDIAN_ORDER.indexOf(v);
        s.add(bit);
        r.delete(bit);
      }
    }
    const sorted = (set: Set<number>): Bitmap => [...set].sort((a, b) => a - b);
    if (l.value.count) {
      h.viridian_enable = sorted(enable);
      h.viridian_disable = sorted(disable);
    }
  } else if (l.rc === EINVAL) {
    const bv = env.x.getDefbool('viridian', true);
    if (bv.rc === 0) h.viridian = bv.value;
  } else if (l.rc !== ESRCH) {
    env.err('xl: Unable to parse viridian enlightenments.\n');
    env.exit(EXIT_ERROR_FAIL);
  }
}

const VIRIDIAN_ORDER = [
  'base', 'freq', 'time_ref_count', 'reference_tsc', 'hcall_remote_tlb_flush', 'apic_assist', 'crash_ctl',
  'synic', 'stimer', 'hcall_ipi', 'ex_processor_masks', 'no_vp_limit', 'cpu_hotplug',
] as const;

function parseSmbios(env: ParseEnv, h: HvmBuildInfo): void {
  const l = env.x.getList('smbios');
  if (l.rc === ESRCH) return;
  if (l.rc !== 0) {
    env.err('xl: Unable to parse smbios options.\n');
    env.exit(1);
  }
  const out: Smbios[] = [];
  let numOem = 1;
  for (let i = 0; i < l.value.count; i++) {
    const buf = l.value.item(i);
    if (buf === undefined) {
      env.err(`xl: Unable to get element #${i} in smbios list\n`);
      env.exit(1);
    }
    const eq = buf.indexOf('=');
    if (eq < 0) {
      env.err(`xl: failed to split "${buf}" at '='\n`);
      env.exit(1);
    }
    const option = buf.slice(0, eq);
    const value = buf.slice(eq + 1);
    if (value === '') {
      env.err(`xl: empty value not allowed for smbios "${option}="\n`);
      env.exit(1);
    }
    const type = enumFromString('smbios_type', option);
    if (type === undefined) {
      env.err(`xl: unknown smbios type '${option}'\n`);
      env.exit(1);
    }
    if (type === 'oem') {
      if (numOem > 99) {
        env.err('xl: smbios limited to 99 oem strings\n');
        env.exit(1);
      }
      numOem++;
    }
    out.push({ key: type, value });
  }
  h.smbios = out;
}

function parsePvBoot(env: ParseEnv): void {
  const b = env.d.b_info;
  const fw = env.x.getString('firmware');
  if (fw.rc === 0) {
    if (b.kernel !== undefined) {
      env.err('ERROR: both kernel and firmware specified\n');
      env.exit(1);
    }
    if (!isPrefixOf(fw.value, 'pvgrub32') && !isPrefixOf(fw.value, 'pvgrub64')) {
      env.err('ERROR: only pvgrub{32|64} supported as firmware options\n');
      env.exit(1);
    }
    b.kernel = `${XENFIRMWAREDIR}/${fw.value}.bin`;
  }
  if (b.bootloader === undefined && b.kernel === undefined) {
    env.err('Neither kernel nor bootloader specified\n');
    hint(
      env.ctx,
      `a ${b.type === 'pvh' ? 'PVH' : 'PV'} guest boots a kernel (kernel="/boot/vmlinuz") or a bootloader (bootloader="pygrub"); ` +
        'a guest with BIOS/UEFI firmware needs type="hvm"',
    );
    env.exit(1);
  }
}
