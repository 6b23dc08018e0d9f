/**
 * The legacy S-expression dump: twin of printf_info_sexp() in
 * tools/xl/xl_sxp.c, used instead of JSON when xl.conf says
 * output_format="sxp". Kept with its quirks: unset strings print as
 * "(null)" (glibc), unset numbers as their C init values (-1), and a PVH
 * guest stops the dump with "Unknown domain type 3" (exit 1).
 */
import { enumValue, type DomainConfig, type HvmBuildInfo } from '../../../lib/libxl/types';
import { Exit, type OutStream } from '../../io';
import type { XlContext } from '../context';

const db = (v: boolean | undefined) => (v === undefined ? '<default>' : v ? 'True' : 'False');
const s = (v: string | undefined) => v ?? '(null)';
/** a C int printed with %d whose init value is ~0 / -1 when unset */
const i32 = (v: number | undefined) => (v === undefined ? -1 : v | 0);
const i64 = (v: number | undefined) => (v === undefined ? -1 : v);
const int0 = (v: number | undefined) => v ?? 0;

export function printInfoSexp(ctx: XlContext, domid: number, d: DomainConfig, fh: OutStream): void {
  const c = d.c_info;
  const b = d.b_info;
  const out: string[] = [];
  const p = (line: string) => out.push(line + '\n');
  const flush = () => fh.write(out.splice(0).join(''));

  p(`(domain\n\t(domid ${domid})`);
  p('\t(create_info)');
  p(`\t(hvm ${c.type === 'hvm' ? 1 : 0})`);
  p(`\t(hap ${db(c.hap)})`);
  p(`\t(oos ${db(c.oos)})`);
  p(`\t(ssidref ${int0(c.ssidref)})`);
  p(`\t(name ${s(c.name)})`);
  // the uuid comes from the running domain; there is none for domid -1
  flush();
  ctx.logger.log('error', 'libxl', 'libxl_domain.c:356:libxl_domain_info: Getting domain info', 'No such process');
  p('\t(uuid <unknown>)');
  if (c.pool_name !== undefined) p(`\t(cpupool ${c.pool_name})`);
  p(`\t(xsdata ${c.xsdata?.length ? 'contains data' : '(null)'})`);
  p(`\t(platformdata ${c.platformdata?.length ? 'contains data' : '(null)'})`);
  p('\t(build_info)');
  p(`\t(max_vcpus ${int0(b.max_vcpus)})`);
  p(`\t(max_grant_frames ${i32(b.max_grant_frames)})`);
  p(`\t(max_maptrack_frames ${i32(b.max_maptrack_frames)})`);
  p(`\t(tsc_mode ${b.tsc_mode ?? 'default'})`);
  p(`\t(max_memkb ${i64(b.max_memkb)})`);
  p(`\t(target_memkb ${i64(b.target_memkb)})`);
  p(`\t(nomigrate ${db(b.disable_migrate)})`);
  if (c.type === 'pv' && b.bootloader !== undefined) {
    p(`\t(bootloader ${b.bootloader})`);
    if (b.bootloader_args !== undefined) p(`\t(bootloader_args${b.bootloader_args.map((a) => ' ' + a).join('')})`);
  }
  p('\t(image');
  if (c.type === 'hvm') {
    const h = (b.u ?? {}) as HvmBuildInfo;
    p('\t\t(hvm');
    p(`\t\t\t(firmware ${s(h.firmware)})`);
    p(`\t\t\t(video_memkb ${i64(b.video_memkb)})`);
    p(`\t\t\t(shadow_memkb ${i64(b.shadow_memkb)})`);
    p(`\t\t\t(pae ${db(h.pae)})`);
    p(`\t\t\t(apic ${db(b.apic)})`);
    p(`\t\t\t(acpi ${db(h.acpi)})`);
    p(`\t\t\t(nx ${db(h.nx)})`);
    p(`\t\t\t(viridian ${db(h.viridian)})`);
    p(`\t\t\t(hpet ${db(h.hpet)})`);
    p(`\t\t\t(vpt_align ${db(h.vpt_align)})`);
    p(`\t\t\t(timer_mode ${b.timer_mode ?? 'unknown'})`);
    p(`\t\t\t(nestedhvm ${db(b.nested_hvm)})`);
    p(`\t\t\t(stdvga ${h.vga?.kind === 'std' ? 'True' : 'False'})`);
    p(`\t\t\t(vnc ${db(h.vnc?.enable)})`);
    p(`\t\t\t(vnclisten ${s(h.vnc?.listen)})`);
    p(`\t\t\t(vncdisplay ${int0(h.vnc?.display) | 0})`);
    p(`\t\t\t(vncunused ${db(h.vnc?.findunused)})`);
    p(`\t\t\t(keymap ${s(h.keymap)})`);
    p(`\t\t\t(sdl ${db(h.sdl?.enable)})`);
    p(`\t\t\t(opengl ${db(h.sdl?.opengl)})`);
    p(`\t\t\t(nographic ${db(h.nographic)})`);
    p(`\t\t\t(spice ${db(h.spice?.enable)})`);
    p(`\t\t\t(spiceport ${int0(h.spice?.port)})`);
    p(`\t\t\t(spicetls_port ${int0(h.spice?.tls_port)})`);
    p(`\t\t\t(spicehost ${s(h.spice?.host)})`);
    p(`\t\t\t(spicedisable_ticketing ${db(h.spice?.disable_ticketing)})`);
    p(`\t\t\t(spiceagent_mouse ${db(h.spice?.agent_mouse)})`);
    p(`\t\t\t(device_model ${b.device_model || 'default'})`);
    p(`\t\t\t(gfx_passthru ${db(h.gfx_passthru)})`);
    p(`\t\t\t(serial ${s(h.serial)})`);
    p(`\t\t\t(boot ${s(h.boot)})`);
    p(`\t\t\t(usb ${db(h.usb)})`);
    p(`\t\t\t(usbdevice ${s(h.usbdevice)})`);
    p(`\t\t\t(vkb_device ${db(h.vkb_device)})`);
    p('\t\t)');
  } else if (c.type === 'pv') {
    const pv = (b.u ?? {}) as { e820_host?: boolean };
    p('\t\t(linux 0)');
    p(`\t\t\t(kernel ${s(b.kernel)})`);
    p(`\t\t\t(cmdline ${s(b.cmdline)})`);
    p(`\t\t\t(ramdisk ${s(b.ramdisk)})`);
    p(`\t\t\t(e820_host ${db(pv.e820_host)})`);
    p('\t\t)');
  } else {
    flush();
    ctx.io.stderr.write(`Unknown domain type ${enumValue('domain_type', c.type ?? 'invalid')}\n`);
    throw new Exit(1);
  }
  p('\t)');

  for (const disk of d.disks ?? []) {
    p('\t(device');
    p('\t\t(tap');
    p(`\t\t\t(backend_domid ${int0(disk.backend_domid)})`);
    p(`\t\t\t(frontend_domid ${domid})`);
    p(`\t\t\t(physpath ${s(disk.pdev_path)})`);
    p(`\t\t\t(phystype ${enumValue('disk_backend', disk.backend ?? 'unknown')})`);
    p(`\t\t\t(virtpath ${s(disk.vdev)})`);
    p(`\t\t\t(unpluggable ${int0(disk.removable)})`);
    p(`\t\t\t(readwrite ${int0(disk.readwrite)})`);
    p(`\t\t\t(is_cdrom ${int0(disk.is_cdrom)})`);
    p('\t\t)');
    p('\t)');
  }
  for (const nic of d.nics ?? []) {
    p('\t(device');
    p('\t\t(vif');
    if (nic.ifname !== undefined) p(`\t\t\t(vifname ${nic.ifname})`);
    p(`\t\t\t(backend_domid ${int0(nic.backend_domid)})`);
    p(`\t\t\t(frontend_domid ${domid})`);
    p(`\t\t\t(devid ${i32(nic.devid)})`);
    p(`\t\t\t(mtu ${int0(nic.mtu)})`);
    p(`\t\t\t(model ${s(nic.model)})`);
    p(`\t\t\t(mac ${(nic.mac ?? '00:00:00:00:00:00').replace(/:/g, '')})`);
    p('\t\t)');
    p('\t)');
  }
  const hex = (v: number | undefined, w: number) => int0(v).toString(16).padStart(w, '0');
  for (const pci of d.pcidevs ?? []) {
    p('\t(device');
    p('\t\t(pci');
    p(`\t\t\t(pci dev ${hex(pci.domain, 4)}:${hex(pci.bus, 2)}:${hex(pci.dev, 2)}.${hex(pci.func, 1)}@${hex(pci.vdevfn, 2)})`);
    p(`\t\t\t(opts msitranslate ${pci.msitranslate ? 1 : 0} power_mgmt ${pci.power_mgmt ? 1 : 0})`);
    p('\t\t)');
    p('\t)');
  }
  for (const vfb of d.vfbs ?? []) {
    p('\t(device');
    p('\t\t(vfb');
    p(`\t\t\t(backend_domid ${int0(vfb.backend_domid)})`);
    p(`\t\t\t(frontend_domid ${domid})`);
    p(`\t\t\t(devid ${i32(vfb.devid)})`);
    p(`\t\t\t(vnc ${db(vfb.vnc.enable)})`);
    p(`\t\t\t(vnclisten ${s(vfb.vnc.listen)})`);
    p(`\t\t\t(vncdisplay ${int0(vfb.vnc.display) | 0})`);
    p(`\t\t\t(vncunused ${db(vfb.vnc.findunused)})`);
    p(`\t\t\t(keymap ${s(vfb.keymap)})`);
    p(`\t\t\t(sdl ${db(vfb.sdl.enable)})`);
    p(`\t\t\t(opengl ${db(vfb.sdl.opengl)})`);
    p(`\t\t\t(display ${s(vfb.sdl.display)})`);
    p(`\t\t\t(xauthority ${s(vfb.sdl.xauthority)})`);
    p('\t\t)');
    p('\t)');
  }
  p(')');
  flush();
}
