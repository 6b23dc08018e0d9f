/**
 * The enumerations of tools/libs/light/libxl_types.idl, as data.
 *
 * Each table lists [C value, JSON name] in IDL order. The JSON name is the
 * lower-cased value name, which is what the generated `*_to_string` returns and
 * what libxl's JSON carries. The numeric values matter because the generator
 * omits an enum field whose value is 0 when the type has no init value.
 */

function table<const N extends string>(values: ReadonlyArray<readonly [number, N]>, init?: N): EnumTable<N> {
  return { values, init };
}

export interface EnumTable<N extends string = string> {
  readonly values: ReadonlyArray<readonly [number, N]>;
  /** the IDL `init_val`, if the type has one */
  readonly init?: N;
}

export const ENUMS = {
  domain_type: table([[-1, 'invalid'], [1, 'hvm'], [2, 'pv'], [3, 'pvh']], 'invalid'),
  rdm_reserve_strategy: table([[0, 'ignore'], [1, 'host']]),
  rdm_reserve_policy: table([[-1, 'invalid'], [0, 'strict'], [1, 'relaxed']], 'invalid'),
  channel_connection: table([[0, 'unknown'], [1, 'pty'], [2, 'socket']]),
  device_model_version: table([[0, 'unknown'], [1, 'qemu_xen_traditional'], [2, 'qemu_xen']]),
  console_type: table([[0, 'unknown'], [1, 'serial'], [2, 'pv'], [3, 'vuart']]),
  disk_format: table([[0, 'unknown'], [1, 'qcow'], [2, 'qcow2'], [3, 'vhd'], [4, 'raw'], [5, 'empty'], [6, 'qed']]),
  disk_backend: table([[0, 'unknown'], [1, 'phy'], [2, 'tap'], [3, 'qdisk'], [4, 'standalone']]),
  disk_specification: table([[0, 'unknown'], [1, 'xen'], [2, 'virtio']]),
  disk_transport: table([[0, 'unknown'], [1, 'mmio']]),
  nic_type: table([[0, 'unknown'], [1, 'vif_ioemu'], [2, 'vif']]),
  p9_type: table([[0, 'unknown'], [1, 'qemu'], [2, 'xen_9pfsd']]),
  action_on_shutdown: table(
    [[1, 'destroy'], [2, 'restart'], [3, 'restart_rename'], [4, 'preserve'],
      [5, 'coredump_destroy'], [6, 'coredump_restart'], [7, 'soft_reset']],
    'destroy'),
  trigger: table([[0, 'unknown'], [1, 'power'], [2, 'sleep'], [3, 'nmi'], [4, 'init'], [5, 'reset'], [6, 's3resume']]),
  tsc_mode: table([[0, 'default'], [1, 'always_emulate'], [2, 'native'], [3, 'native_paravirt']]),
  gfx_passthru_kind: table([[0, 'default'], [1, 'igd']]),
  timer_mode: table(
    [[-1, 'unknown'], [0, 'delay_for_missed_ticks'], [1, 'no_delay_for_missed_ticks'],
      [2, 'no_missed_ticks_pending'], [3, 'one_missed_tick_pending']],
    'unknown'),
  bios_type: table([[0, 'unknown'], [1, 'rombios'], [2, 'seabios'], [3, 'ovmf']]),
  scheduler: table([[0, 'unknown'], [4, 'sedf'], [5, 'credit'], [6, 'credit2'], [7, 'arinc653'], [8, 'rtds'], [9, 'null']]),
  shutdown_reason: table(
    [[-1, 'unknown'], [0, 'poweroff'], [1, 'reboot'], [2, 'suspend'], [3, 'crash'], [4, 'watchdog'], [5, 'soft_reset']],
    'unknown'),
  vga_interface_type: table([[0, 'unknown'], [1, 'cirrus'], [2, 'std'], [3, 'none'], [4, 'qxl']], 'unknown'),
  vendor_device: table([[0, 'none'], [1, 'xenserver']]),
  viridian_enlightenment: table(
    [[0, 'base'], [1, 'freq'], [2, 'time_ref_count'], [3, 'reference_tsc'], [4, 'hcall_remote_tlb_flush'],
      [5, 'apic_assist'], [6, 'crash_ctl'], [7, 'synic'], [8, 'stimer'], [9, 'hcall_ipi'],
      [10, 'ex_processor_masks'], [11, 'no_vp_limit'], [12, 'cpu_hotplug']]),
  hdtype: table([[1, 'ide'], [2, 'ahci']], 'ide'),
  checkpointed_stream: table([[0, 'none'], [1, 'remus'], [2, 'colo']]),
  vuart_type: table([[0, 'unknown'], [1, 'sbsa_uart']]),
  vkb_backend: table([[0, 'unknown'], [1, 'qemu'], [2, 'linux']]),
  virtio_transport: table([[0, 'unknown'], [1, 'mmio']]),
  passthrough: table([[0, 'default'], [1, 'disabled'], [2, 'enabled'], [3, 'sync_pt'], [4, 'share_pt']]),
  smbios_type: table(
    [[1, 'bios_vendor'], [2, 'bios_version'], [3, 'system_manufacturer'], [4, 'system_product_name'],
      [5, 'system_version'], [6, 'system_serial_number'], [7, 'baseboard_manufacturer'],
      [8, 'baseboard_product_name'], [9, 'baseboard_version'], [10, 'baseboard_serial_number'],
      [11, 'baseboard_asset_tag'], [12, 'baseboard_location_in_chassis'], [13, 'enclosure_manufacturer'],
      [14, 'enclosure_serial_number'], [15, 'enclosure_asset_tag'], [16, 'battery_manufacturer'],
      [17, 'battery_device_name'], [18, 'oem']]),
  gic_version: table([[0, 'default'], [0x20, 'v2'], [0x30, 'v3']], 'default'),
  tee_type: table([[0, 'none'], [1, 'optee'], [2, 'ffa']], 'none'),
  sve_type: table(
    [[-1, 'hw'], [0, 'disabled'], [128, '128'], [256, '256'], [384, '384'], [512, '512'], [640, '640'],
      [768, '768'], [896, '896'], [1024, '1024'], [1152, '1152'], [1280, '1280'], [1408, '1408'],
      [1536, '1536'], [1664, '1664'], [1792, '1792'], [1920, '1920'], [2048, '2048']],
    'disabled'),
  arm_sci_type: table([[0, 'none'], [1, 'scmi_smc']], 'none'),
  altp2m_mode: table([[0, 'disabled'], [1, 'mixed'], [2, 'external'], [3, 'limited']], 'disabled'),
  usbctrl_type: table([[0, 'auto'], [1, 'pv'], [2, 'devicemodel'], [3, 'qusb']]),
  usbdev_type: table([[1, 'hostdev']]),
  vsnd_pcm_format: table(
    [[1, 's8'], [2, 'u8'], [3, 's16_le'], [4, 's16_be'], [5, 'u16_le'], [6, 'u16_be'], [7, 's24_le'],
      [8, 's24_be'], [9, 'u24_le'], [10, 'u24_be'], [11, 's32_le'], [12, 's32_be'], [13, 'u32_le'],
      [14, 'u32_be'], [15, 'f32_le'], [16, 'f32_be'], [17, 'f64_le'], [18, 'f64_be'],
      [19, 'iec958_subframe_le'], [20, 'iec958_subframe_be'], [21, 'mu_law'], [22, 'a_law'],
      [23, 'ima_adpcm'], [24, 'mpeg'], [25, 'gsm']]),
  vsnd_stream_type: table([[1, 'p'], [2, 'c']]),
} as const;

export type EnumName = keyof typeof ENUMS;

/** The JSON names of one enumeration, as a string-literal union. */
export type EnumValue<E extends EnumName> = (typeof ENUMS)[E]['values'][number][1];

/** `libxl_<enum>_to_string`, keyed by C value; undefined for a value outside the table. */
export function enumToString(e: EnumName, value: number): string | undefined {
  for (const [v, n] of ENUMS[e].values) if (v === value) return n;
  return undefined;
}

/** The C value of a JSON name (exact, lower-case). */
export function enumValue(e: EnumName, name: string): number | undefined {
  for (const [v, n] of ENUMS[e].values) if (n === name) return v;
  return undefined;
}

/**
 * `libxl_<enum>_from_string`: libxl compares case-insensitively, so "HVM",
 * "Raw" and "raw" all name the same value. Returns the canonical JSON name.
 */
export function enumFromString<E extends EnumName>(e: E, s: string): EnumValue<E> | undefined {
  const lower = s.toLowerCase();
  for (const [, n] of ENUMS[e].values) if (n === lower) return n as EnumValue<E>;
  return undefined;
}
