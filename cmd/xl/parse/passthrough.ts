/**
 * Device pass-through keys of parse_config_data(): the pci_* defaults,
 * rdm=, pci=[...], dtdev=[...], passthrough=, and the raw resources
 * ioports=, irqs=, iomem= (tools/xl/xl_parse.c).
 */
import { strtoul, ULONG_MAX } from '../../../lib/cfg/cconv';
import { enumFromString, hvmInfo, type DevicePci, type IomemRange, type IoportRange } from '../../../lib/libxl/types';
import { pciParseSpec, rdmParse } from './adapters';
import type { ParseEnv } from './env';

export function parsePciAndRdm(env: ParseEnv): void {
  const { x, d } = env;
  const c = d.c_info;
  const b = d.b_info;
  const defaults = { msitranslate: 0, power_mgmt: 0, permissive: 0, seize: 0 };
  for (const [key, f] of [
    ['pci_msitranslate', 'msitranslate'],
    ['pci_power_mgmt', 'power_mgmt'],
    ['pci_permissive', 'permissive'],
    ['pci_seize', 'seize'],
  ] as const) {
    const r = x.getLong(key);
    if (r.rc === 0) defaults[f] = r.value;
  }

  // C reads/writes b_info->u.hvm.rdm whatever the type; for PV/PVH that
  // union memory is zero, so the policy pci entries inherit is "strict".
  let rdmPolicy: DevicePci['rdm_policy'] = b.type === 'hvm' ? hvmInfo(b).rdm.policy : 'strict';
  const rdm = x.getString('rdm');
  if (rdm.rc === 0) {
    const r = rdmParse(env, rdm.value);
    if (r) {
      if (b.type === 'hvm') {
        const h = hvmInfo(b);
        h.rdm.strategy = r.strategy;
        h.rdm.policy = r.policy;
      }
      rdmPolicy = r.policy;
    }
  }

  const pcis = x.getList('pci');
  if (pcis.rc === 0) {
    const devs: DevicePci[] = [];
    for (let i = 0; ; i++) {
      const buf = pcis.value.item(i);
      if (buf === undefined) break;
      const pci: DevicePci = {};
      if (defaults.msitranslate) pci.msitranslate = true;
      if (defaults.power_mgmt) pci.power_mgmt = true;
      if (defaults.permissive) pci.permissive = true;
      if (defaults.seize) pci.seize = true;
      if (rdmPolicy !== undefined && rdmPolicy !== 'invalid') pci.rdm_policy = rdmPolicy;
      const e = pciParseSpec(env, pci, buf);
      if (e) {
        env.err(`unable to parse PCI_SPEC_STRING \`${buf}' for passthrough\n`);
        env.exit(-e & 0xff);
      }
      devs.push(pci);
    }
    d.pcidevs = devs;
    if (devs.length && c.type === 'pv') pvE820(env, true);
  }

  const dt = x.getList('dtdev');
  if (dt.rc === 0) {
    const devs: { path: string }[] = [];
    for (let i = 0; ; i++) {
      const buf = dt.value.item(i);
      if (buf === undefined) break;
      devs.push({ path: buf });
    }
    d.dtdevs = devs;
  }

  const pt = x.getString('passthrough');
  if (pt.rc === 0) {
    const v = enumFromString('passthrough', pt.value);
    if (v === undefined) {
      env.err(`ERROR: unknown passthrough option '${pt.value}'\n`);
      env.exit(1);
    }
    c.passthrough = v;
  }
}

function pvE820(env: ParseEnv, v: boolean): void {
  const u = env.d.b_info.u as { e820_host?: boolean } | undefined;
  if (u) u.e820_host = v;
}

export function parseIoResources(env: ParseEnv): void {
  const { x } = env;
  const b = env.d.b_info;

  const io = x.getList('ioports');
  if (io.rc === 0) {
    const ranges: IoportRange[] = [];
    for (let i = 0; i < io.value.count; i++) {
      const buf = io.value.item(i);
      if (buf === undefined) {
        env.err(`xl: Unable to get element #${i} in ioport list\n`);
        env.exit(1);
      }
      const a = strtoul(buf, 16);
      if (a.end === 0) {
        env.err(`xl: Invalid argument parsing ioport: ${buf}\n`);
        env.exit(1);
      }
      if (a.value >= 0xffffffffn) {
        env.err(`xl: ioport ${a.value.toString(16)} too big\n`);
        env.exit(1);
      }
      const start = Number(a.value);
      let end = start;
      if (buf[a.end] === '-') {
        const r = strtoul(buf, 16, a.end + 1);
        // C compares start with the still-equal end, so a descending range passes here
        if (r.end === a.end + 1 || r.end !== buf.length) {
          env.err(`xl: Invalid argument parsing ioport: ${buf}\n`);
          env.exit(1);
        }
        if (r.value >= 0xffffffffn) {
          env.err(`xl: ioport ${r.value.toString(16)} too big\n`);
          env.exit(1);
        }
        end = Number(r.value);
      } else if (a.end !== buf.length) {
        // printed, yet the port is used anyway
        env.err(`xl: Invalid argument parsing ioport: ${buf}\n`);
      }
      ranges.push({ first: start, number: (end - start + 1) >>> 0 });
    }
    b.ioports = ranges;
  }

  const irqs = x.getList('irqs');
  if (irqs.rc === 0) {
    const out: number[] = [];
    for (let i = 0; i < irqs.value.count; i++) {
      const buf = irqs.value.item(i);
      if (buf === undefined) {
        env.err(`xl: Unable to get element ${i} in irq list\n`);
        env.exit(1);
      }
      const r = strtoul(buf, 10);
      if (r.end === 0 || r.end !== buf.length) {
        env.err(`xl: Invalid argument parsing irq: ${buf}\n`);
        env.exit(1);
      }
      if (r.value >= 0xffffffffn) {
        env.err(`xl: irq ${r.value.toString(16)} too big\n`);
        env.exit(1);
      }
      out.push(Number(r.value));
    }
    b.irqs = out;
  }

  const iomem = x.getList('iomem');
  if (iomem.rc === 0) {
    const out: IomemRange[] = [];
    for (let i = 0; i < iomem.value.count; i++) {
      const buf = iomem.value.item(i);
      if (buf === undefined) {
        env.err(`xl: Unable to get element ${i} in iomem list\n`);
        env.exit(1);
      }
      const r = scanIomem(buf);
      if (!r) {
        env.err(`xl: Invalid argument parsing iomem: ${buf}\n`);
        env.exit(1);
      }
      out.push(r);
    }
    b.iomem = out;
  }
}

/** sscanf(buf, "%lx,%lx%n@%lx%n") with the "nothing after" check */
function scanIomem(buf: string): IomemRange | null {
  const hex = (start: number) => {
    let i = start;
    while (/\s/.test(buf[i] ?? '')) i++;
    const r = strtoul(buf, 16, i);
    if (r.end === i) return null;
    return r;
  };
  const a = hex(0);
  if (!a || buf[a.end] !== ',') return null;
  const n = hex(a.end + 1);
  if (!n) return null;
  const range: IomemRange = { start: big(a.value), number: big(n.value) };
  let used = n.end;
  if (buf[used] === '@') {
    const g = hex(used + 1);
    if (g) {
      range.gfn = big(g.value);
      used = g.end;
    }
  }
  if (used !== buf.length) return null;
  return range;
}

function big(v: bigint): number {
  return v === ULONG_MAX ? Number.MAX_SAFE_INTEGER : Number(v);
}
