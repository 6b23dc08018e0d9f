/**
 * Memory maps and emulation reports for `xlsim inspect <dom> memmap|emulation`
 * and `xlsim host show --memory`: pure functions from records to pictures.
 */
export * from './region';
export { sanitizeE820, renderE820, renderE820Lines, e820Usable, type E820Source } from './e820';
export {
  guestMemoryMap,
  hvmSizes,
  type GuestLayoutDesc,
  type GuestMemoryMap,
  type GuestType,
  HVM_BELOW_4G_MMIO_START,
  HVM_BELOW_4G_MMIO_LENGTH,
  LAPIC_BASE,
  IOAPIC_BASE,
  HPET_BASE,
  ACPI_INFO_BASE,
  SPECIAL_PAGES_START,
  IOREQ_SERVER_START,
} from './memmap';
export { pvVirtualMap, HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_END, XEN_WINDOW_BYTES, PV_INIT_P2M_VA } from './pv-virt';
export { hostMemoryMap, hostE820, XEN_IMAGE_BASE, type HostMemoryMap, type HostMemoryRow } from './hostmap';
export {
  emulationReport,
  defaultQemu,
  type EmulationDesc,
  type EmulationReport,
  type EmuBitReport,
  type OptionEffect,
  type PagingDesc,
} from './emulation';
export { dmDevices, diskIndex, type QemuDesc, type QemuDevice, type QemuDisk, type QemuNic } from './qemu';
export { layoutDescFromConfig, emulationDescFromConfig, pagingFromConfig } from './from-config';
export { renderMapText, renderMapDiagram, renderGuestMapText } from './render-text';
export { renderHostMapText, renderEmulationText } from './render-report';
export { regionToJson, e820ToJson, guestMapToJson, hostMapToJson, emulationToJson, type RegionJson } from './render-json';
export { renderMapSvg, escapeXml, KIND_COLOUR } from './render-svg';
