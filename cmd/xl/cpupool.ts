/**
 * The cpupool commands: twins of tools/xl/xl_cpupool.c (cpupool-create,
 * -list, -destroy, -rename, -cpu-add, -cpu-remove, -migrate, -numa-split).
 * Pools are looked up by name or numeric id (cpupool-list: by name only).
 */
import { atoi } from '../../lib/cfg/cconv';
import { xluCfgGetList, xluCfgGetListitem, xluCfgGetString, xluCfgInit } from '../../lib/cfg/config';
import { CpuMap, parseCpurange, type HostTopology } from '../../lib/cfg/cpulist';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import {
  cpupoolCpuaddCpumap,
  cpupoolCpuaddNode,
  cpupoolCpuremoveCpumap,
  cpupoolCpuremoveNode,
  cpupoolCreate,
  cpupoolDestroy,
  cpupoolMovedomain,
  cpupoolRename,
  freeCpus,
  listCpupool,
  lookupCpupool,
  nameToCpupoolid,
  schedulerFromString,
} from '../../lib/libxl/cpupool';
import { domainInfo, domidToName } from '../../lib/libxl/domain';
import { setVcpuonline } from '../../lib/libxl/vcpu';
import type { LongOption } from '../../lib/util/getopt';
import { eprintf, printf, type XlContext } from './context';
import { qualifierToDomid } from './find_domain';
import { commandHelp } from './help';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';
import { readFileContents } from './parse/readfile';
import { strerror } from './parse/strerror';

function topologyOf(lx: LibxlCtx): HostTopology {
  const p = lx.xen.physinfo();
  const cpusOfNode: number[][] = Array.from({ length: p.nr_nodes }, () => []);
  for (const t of lx.xen.cpuTopology()) (cpusOfNode[t.node] ??= []).push(t.cpu);
  return { nrCpus: p.max_cpu_id + 1, cpusOfNode };
}

function unknownPool(ctx: XlContext, pool: string): number {
  eprintf(ctx, "unknown cpupool '%s'\n", pool);
  return 1;
}

const CREATE_LONG: LongOption[] = [
  { name: 'defconfig', hasArg: 1, val: 'f' },
  { name: 'dryrun', hasArg: 0, val: 'n' },
];

export function mainCpupoolcreate(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'nf:', CREATE_LONG, 'cpupool-create', 0);
  let filename: string | undefined;
  for (const { opt, arg } of p.opts) {
    if (opt === 'f') filename = arg;
    else if (opt === 'n') ctx.dryrun = true;
  }
  let extra = '';
  for (const a of p.args) {
    if (a.includes('=')) extra += `\n${a}`;
    else if (filename === undefined) filename = a;
    else {
      ctx.io.stdout.write(commandHelp('cpupool-create'));
      return 1;
    }
  }
  let data: Buffer = Buffer.alloc(0);
  let source = 'command line';
  if (filename !== undefined) {
    const r = readFileContents(ctx.logger, filename);
    if (!r.ok) {
      eprintf(ctx, 'Failed to read config file: %s: %s\n', filename, strerror(r.errno));
      return 1;
    }
    data = r.data;
    source = filename;
  }
  if (extra.length > 0) data = Buffer.concat([data, Buffer.from(`${extra}\n`)]);
  const cfg = xluCfgInit((s) => ctx.io.stderr.write(s), source);
  const rd = cfg.readData(data);
  if (!rd.ok) {
    eprintf(ctx, 'Failed to parse config file: %s\n', strerror(rd.errno));
    return 1;
  }
  return withLibxl(ctx, (lx) => {
    const nameCfg = xluCfgGetString(cfg, 'name');
    let name: string;
    if (nameCfg.ok) name = nameCfg.value;
    else if (filename !== undefined) name = filename.slice(filename.lastIndexOf('/') + 1);
    else {
      eprintf(ctx, 'Missing cpupool name!\n');
      return 1;
    }
    if (nameToCpupoolid(lx, name) !== undefined) {
      eprintf(ctx, 'Pool name "%s" already exists\n', name);
      return 1;
    }
    let sched: string;
    const schedCfg = xluCfgGetString(cfg, 'sched');
    if (schedCfg.ok) {
      const s = schedulerFromString(schedCfg.value);
      if (s === undefined) {
        eprintf(ctx, 'Unknown scheduler\n');
        return 1;
      }
      sched = s;
    } else sched = lx.hv.sched_id();
    const topo = topologyOf(lx);
    const free = new CpuMap(topo.nrCpus);
    for (const c of freeCpus(lx)) free.set(c);
    const cpumap = new CpuMap(topo.nrCpus);
    let nCpus = 0;
    const nodes = xluCfgGetList(cfg, 'nodes');
    const cpuList = nodes.ok ? undefined : xluCfgGetList(cfg, 'cpus', true);
    if (nodes.ok) {
      for (let i = 0; ; i++) {
        const item = xluCfgGetListitem(nodes.value, i);
        if (item === null) break;
        const n = atoi(item);
        for (const t of lx.xen.cpuTopology()) {
          if (t.node === n && free.test(t.cpu)) {
            cpumap.set(t.cpu);
            nCpus++;
          }
        }
      }
      if (nCpus === 0) {
        eprintf(ctx, 'no free cpu found\n');
        return 1;
      }
    } else if (cpuList?.ok) {
      for (let i = 0; ; i++) {
        const item = xluCfgGetListitem(cpuList.value, i);
        if (item === null) break;
        const c = atoi(item);
        if (c < 0 || !free.test(c)) {
          eprintf(ctx, 'cpu %d illegal or not free\n', c);
          return 1;
        }
        cpumap.set(c);
        nCpus++;
      }
    } else {
      const cpuStr = xluCfgGetString(cfg, 'cpus');
      if (cpuStr.ok) {
        if (parseCpurange((s) => ctx.io.stderr.write(s), topo, cpuStr.value, cpumap)) return 1;
        for (const c of cpumap.toList()) {
          if (!free.test(c)) {
            eprintf(ctx, 'cpu %d illegal or not free\n', c);
            return 1;
          }
          nCpus++;
        }
      }
    }
    printf(ctx, 'Using config file "%s"\n', source);
    printf(ctx, 'cpupool name:   %s\n', name);
    printf(ctx, 'scheduler:      %s\n', sched);
    printf(ctx, 'number of cpus: %d\n', nCpus);
    if (!ctx.dryrun) {
      // the uuid comes from the host's seeded generator, so a dry run leaves it alone
      if (cpupoolCreate(lx, name, sched, cpumap.toList(), lx.rng.uuid()).rc) {
        eprintf(ctx, 'error on creating cpupool\n');
        return 1;
      }
    }
    return 0;
  });
}

export function mainCpupoollist(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'c', [{ name: 'cpus', hasArg: 0, val: 'c' }], 'cpupool-list', 0);
  const optCpus = p.opts.some((o) => o.opt === 'c');
  const pool = p.args[0];
  return withLibxl(ctx, (lx) => {
    let only: number | undefined;
    if (pool !== undefined) {
      only = nameToCpupoolid(lx, pool);
      if (only === undefined) {
        eprintf(ctx, "Pool '%s' does not exist\n", pool);
        return 1;
      }
    }
    printf(ctx, '%-19s', 'Name');
    printf(ctx, optCpus ? 'CPU list\n' : 'CPUs   Sched     Active   Domain count\n');
    for (const info of listCpupool(lx)) {
      if (only !== undefined && info.poolid !== only) continue;
      printf(ctx, '%-19s', info.pool_name);
      if (optCpus) printf(ctx, '%s', info.cpumap.join(','));
      else printf(ctx, '%3d %9s       y       %4d', info.cpumap.length, info.sched, info.n_dom);
      printf(ctx, '\n');
    }
    return 0;
  });
}

export function mainCpupooldestroy(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'cpupool-destroy', 1);
  const pool = p.args[0]!;
  return withLibxl(ctx, (lx) => {
    const id = lookupCpupool(lx, pool);
    if (id === undefined) return unknownPool(ctx, pool);
    if (cpupoolDestroy(lx, id)) {
      eprintf(ctx, "Can't destroy cpupool '%s'\n", pool);
      return 1;
    }
    return 0;
  });
}

export function mainCpupoolrename(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'cpupool-rename', 2);
  const [pool, newName] = [p.args[0]!, p.args[1]!];
  return withLibxl(ctx, (lx) => {
    const id = lookupCpupool(lx, pool);
    if (id === undefined) return unknownPool(ctx, pool);
    if (cpupoolRename(lx, newName, id)) {
      eprintf(ctx, "Can't rename cpupool '%s'\n", pool);
      return 1;
    }
    return 0;
  });
}

/** cpu-add / cpu-remove: parse the CPU list first, then find the pool */
function cpuMapArg(ctx: XlContext, lx: LibxlCtx, spec: string): number[] | undefined {
  const topo = topologyOf(lx);
  const map = new CpuMap(topo.nrCpus);
  if (parseCpurange((s) => ctx.io.stderr.write(s), topo, spec, map)) return undefined;
  return map.toList();
}

export function mainCpupoolcpuadd(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'cpupool-cpu-add', 2);
  const [pool, spec] = [p.args[0]!, p.args[1]!];
  return withLibxl(ctx, (lx) => {
    const cpus = cpuMapArg(ctx, lx, spec);
    if (!cpus) return 1;
    const id = lookupCpupool(lx, pool);
    if (id === undefined) return unknownPool(ctx, pool);
    if (cpupoolCpuaddCpumap(lx, id, cpus)) eprintf(ctx, 'some cpus may not have been added to %s\n', pool);
    return 0;
  });
}

export function mainCpupoolcpuremove(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'cpupool-cpu-remove', 2);
  const [pool, spec] = [p.args[0]!, p.args[1]!];
  return withLibxl(ctx, (lx) => {
    const cpus = cpuMapArg(ctx, lx, spec);
    if (!cpus) return 1;
    const id = lookupCpupool(lx, pool);
    if (id === undefined) return unknownPool(ctx, pool);
    if (cpupoolCpuremoveCpumap(lx, id, cpus)) {
      eprintf(ctx, "Some cpus may have not or only partially been removed from '%s'.\n", pool);
      eprintf(ctx, "If a cpu can't be added to another cpupool, add it to '%s' again and retry.\n", pool);
    }
    return 0;
  });
}

export function mainCpupoolmigrate(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'cpupool-migrate', 2);
  const [dom, pool] = [p.args[0]!, p.args[1]!];
  return withLibxl(ctx, (lx) => {
    const d = qualifierToDomid(lx, dom);
    if (d.rc || domidToName(lx, d.domid) === undefined) {
      eprintf(ctx, "unknown domain '%s'\n", dom);
      return 1;
    }
    const id = lookupCpupool(lx, pool);
    if (id === undefined) return unknownPool(ctx, pool);
    return cpupoolMovedomain(lx, id, d.domid) ? 1 : 0;
  });
}

/**
 * Pool-0 keeps the first CPU's node (renamed Pool-node<N>, dom0 shrunk to
 * that node's CPU count), every other node gets a pool of its own with
 * Pool-0's scheduler.
 */
export function mainCpupoolnumasplit(ctx: XlContext, argv: string[]): number {
  switchForeachOpt(ctx, argv.slice(1), '', null, 'cpupool-numa-split', 0);
  return withLibxl(ctx, (lx) => {
    const pools = listCpupool(lx);
    if (pools.length === 0) {
      eprintf(ctx, 'error getting cpupool info\n');
      return 1;
    }
    const sched = pools[0]!.sched;
    if (pools.length > 1) {
      eprintf(ctx, 'splitting not possible, already cpupools in use\n');
      return 1;
    }
    const topo = lx.xen.cpuTopology();
    const first = topo[0]!.node;
    cpupoolCpuaddNode(lx, 0, first);
    if (cpupoolRename(lx, `Pool-node${first}`, 0)) {
      eprintf(ctx, 'error on renaming Pool 0\n');
      return 1;
    }
    const done = new Set<number>([first]);
    const n = topo.filter((t) => t.node === first).length;
    const dom0 = domainInfo(lx, 0);
    if (dom0.rc || !dom0.info) {
      eprintf(ctx, 'error on getting info for Domain-0\n');
      return 1;
    }
    if (dom0.info.vcpu_online > n && setVcpuonline(lx, 0, n)) {
      eprintf(ctx, 'error on removing vcpus for Domain-0\n');
      return 1;
    }
    for (const t of topo) {
      if (done.has(t.node)) continue;
      done.add(t.node);
      cpupoolCpuremoveNode(lx, 0, t.node);
      const name = `Pool-node${t.node}`;
      const c = cpupoolCreate(lx, name, sched, [], lx.rng.uuid());
      if (c.rc) {
        eprintf(ctx, 'error on creating cpupool\n');
        return 1;
      }
      cpupoolCpuaddNode(lx, c.poolid, t.node);
    }
    return 0;
  });
}
