/**
 * parse_config_data over random configs, in process: every outcome must be
 * a domain config or xl's exit (Exit), never another exception — a stack
 * trace where xl would print a message is a bug.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exit, memoryIo } from '../../cmd/io';
import type { XlContext } from '../../cmd/xl/context';
import { defaultGlobalConfig } from '../../cmd/xl/globalconfig';
import { StdioXtl } from '../../cmd/xl/log';
import { parseConfigData } from '../../cmd/xl/parse/index';

const KEYS = (
  'acpi acpi_firmware altp2m altp2m_count altp2mhvm apic arm_sci bios bios_path_override boot bootloader ' +
  'bootloader_args bootloader_restrict bootloader_user builder cmdline cpuid device_model device_model_override ' +
  'device_model_stubdomain_override device_model_user device_model_version display dm_restrict driver_domain dtdev ' +
  'e820_host extra firmware firmware_override gfx_passthru hap hdtype init_seclabel iomem ioports irqs keymap ' +
  'llc_colors localtime max_event_channels maxmem maxvcpus mca_caps memory mmio_hole ms_vm_genid msr_relaxed ' +
  'nestedhvm nographic nomigrate nr_spis oos opengl passthrough pci pool pvshim rdm rdm_mem_boundary root ' +
  'rtc_timeoffset sdl seclabel shadow_memory smbios soundhw spice spiceport stdvga stubdomain_memory timer_mode ' +
  'tsc_mode usb usbversion uuid vcpus vendor_device vga videoram vif2 viridian vkb_device vmtrace_buf_kb vnc ' +
  'vncdisplay vnclisten vncpasswd vncunused vncviewer vnuma vpmu vsnd vuart xen_platform_pci xenstore_quota ' +
  'on_crash on_poweroff on_reboot pae hpet pci_seize pvshim_extra disk vif vfb vkb vtpm p9 pvcalls vdispl channel ' +
  'usbctrl usbdev virtio serial usbdevice cpus cpus_soft max_grant_frames device_model_args sve gic_version tee'
).split(' ');

const ATOMS = [
  '0', '1', '2', '-1', '0x10', '4096', 'hvm', 'pv', 'pvh', '', 'all', '0-3', 'default', 'external', 'uefi',
  'pygrub', '/boot/vmlinuz', 'host,tm=0', '1:eax=' + 'x'.repeat(32), 'bridge=br0,rate=10Mb/s', '/img,,xvda',
  'backend=0', 'type=pv', 'pnode=0', 'size=64', 'vcpus=0', 'name=a,connection=pty', 'base', '!freq', 'lmce',
  'nodes=10', '2f8-2ff', 'f0000,10', 'strategy=host', '01:00.0', 'CARD', 'connectors=a:1x1', 'x=y', ',', '=',
];

const atom = fc.constantFrom(...ATOMS).map((s) => JSON.stringify(s));
const num = fc.integer({ min: 0, max: 70000 }).map(String);
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    num,
    fc.array(fc.oneof(atom, num, tie('v')), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
  ),
})).v;

const config = fc
  .array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 12 })
  .map((kvs) => 'name="f"\n' + kvs.map(([k, v]) => `${k} = ${v}\n`).join(''));

function ctxFor() {
  const io = memoryIo();
  const logger = new StdioXtl(io.stderr, { minLevel: 'progress', progressCR: false, timestamps: false });
  const ctx: XlContext = {
    io,
    verbose: 0,
    dryrun: true,
    force: false,
    progressCR: false,
    timestamps: false,
    logger,
    minLevel: 'progress',
    globalConfig: defaultGlobalConfig(),
  };
  return { ctx, io };
}

describe('parse_config_data never crashes', () => {
  it('random configs end in a config or an Exit', () => {
    fc.assert(
      fc.property(config, (text) => {
        const { ctx } = ctxFor();
        try {
          const d = parseConfigData(ctx, 'f.cfg', text, { randomUuid: () => '00000000-0000-4000-8000-000000000000' });
          expect(d.c_info.name).toBe('f');
        } catch (e) {
          if (!(e instanceof Exit)) throw e;
          expect([1, 3, 6, 139]).toContain(e.code);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
