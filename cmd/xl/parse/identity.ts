/**
 * The start of parse_config_data() (tools/xl/xl_parse.c): security labels,
 * guest type (type= / builder= with their prefix rules), hap, name, uuid,
 * oos, pool and the PVH shim keys.
 */
import fs from 'node:fs';
import { parseUuid } from '../../../lib/cfg/cconv';
import { initBuildInfoType, pvhInfo, type DomainType } from '../../../lib/libxl/types';
import type { ParseEnv } from './env';
import { hint } from './hint';

/** `!strncmp(buf, word, strlen(buf))`: buf is a prefix of word (so "" matches anything). */
export function isPrefixOf(buf: string, word: string): boolean {
  return word.startsWith(buf);
}

export function parseIdentity(env: ParseEnv): void {
  const { x, d } = env;
  const c = d.c_info;
  const b = d.b_info;

  const init = x.getString('init_seclabel');
  if (init.rc === 0) c.ssid_label = init.value;
  // with an init label, seclabel= is the label the domain execs into
  const sec = x.getString('seclabel');
  if (sec.rc === 0) {
    if (c.ssid_label !== undefined) b.exec_ssid_label = sec.value;
    else c.ssid_label = sec.value;
  }

  c.run_hotplug_scripts = env.g.runHotplugScripts;

  let type: DomainType | undefined;
  const t = x.getString('type');
  if (t.rc === 0) {
    if (isPrefixOf(t.value, 'hvm')) type = 'hvm';
    else if (isPrefixOf(t.value, 'pv')) type = 'pv';
    else if (isPrefixOf(t.value, 'pvh')) type = 'pvh';
    else {
      env.err(`Invalid domain type ${t.value}.\n`);
      env.exit(1);
    }
  }

  // builder= is deprecated since Xen 4.10 but still honoured, silently
  const bl = x.getString('builder');
  if (bl.rc === 0) {
    let bt: DomainType;
    if (isPrefixOf(bl.value, 'hvm')) bt = 'hvm';
    else if (isPrefixOf(bl.value, 'generic')) bt = 'pv';
    else {
      env.err(`Invalid domain type ${bl.value}.\n`);
      env.exit(1);
    }
    if (type !== undefined && type !== bt) {
      env.err('Contradicting "builder" and "type" options specified.\n');
      env.exit(1);
    }
    type = bt;
  }
  // x86 build: PV unless told otherwise
  c.type = type ?? 'pv';

  const hap = x.getDefbool('hap');
  if (hap.rc === 0) c.hap = hap.value;

  const name = x.getString('name');
  if (name.rc !== 0) {
    env.err('Domain name must be specified.\n');
    hint(env.ctx, 'every guest needs a unique name, e.g. name="guest1"');
    env.exit(1);
  }
  c.name = name.value;

  const u = x.getString('uuid');
  if (u.rc === 0) {
    const parsed = parseUuid(u.value);
    if (parsed === undefined) {
      env.err(`Failed to parse UUID: ${u.value}\n`);
      env.exit(1);
    }
    c.uuid = parsed;
  } else {
    const u = (env.opts.randomUuid ?? randomUuidV4)();
    if (u !== undefined) c.uuid = u;
  }

  const oos = x.getDefbool('oos');
  if (oos.rc === 0) c.oos = oos.value;

  const pool = x.getString('pool');
  if (pool.rc === 0) c.pool_name = pool.value;
}

/** libxl_domain_build_info_init_type, the PVH shim keys and xl.conf's blkdev_start */
export function parseBuildType(env: ParseEnv): void {
  const { x, d } = env;
  const b = d.b_info;
  initBuildInfoType(b, d.c_info.type ?? 'pv');

  if (b.type === 'pvh') {
    const pvh = pvhInfo(b);
    const shim = x.getDefbool('pvshim');
    if (shim.rc === 0) pvh.pvshim = shim.value;
    for (const [key, field] of [
      ['pvshim_path', 'pvshim_path'],
      ['pvshim_cmdline', 'pvshim_cmdline'],
      ['pvshim_extra', 'pvshim_extra'],
    ] as const) {
      const r = x.getString(key);
      if (r.rc === 0) pvh[field] = r.value;
    }
  }

  if (env.g.blkdevStart !== undefined) b.blkdev_start = env.g.blkdevStart;
}

/**
 * libuuid's uuid_generate for a dry run: 16 bytes from the kernel's
 * generator as a version-4 UUID. Read straight from /dev/urandom because
 * loading Node's crypto costs more than the rest of `xl create -n`.
 */
function randomUuidV4(): string {
  const b = Buffer.alloc(16);
  try {
    const fd = fs.openSync('/dev/urandom', 'r');
    try {
      fs.readSync(fd, b, 0, 16, null);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
