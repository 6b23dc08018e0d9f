/**
 * How a cpupool's pCPUs are divided among the vCPUs that want them.
 *
 * Real credit/credit2 reach, over many time slices, a weighted fair share:
 * a vCPU never gets more than it asks for (its guest's busy fraction) nor
 * more than one pCPU; a domain's cap (percent of one pCPU) bounds the sum of
 * its vCPUs; a vCPU only runs on the pCPUs of its hard affinity inside the
 * pool; what remains is split in proportion to weight. The model computes
 * that limit directly by progressive filling (max-min fairness with
 * weights): raise a common level, freeze whoever hits a bound, repeat. The
 * result is a rate per vCPU that stays constant until something that
 * matters changes, so CPU time is linear between state changes and does
 * not depend on how often anyone looks.
 *
 * Weights: credit2 gives each vCPU the domain's weight; credit1 splits the
 * domain's weight among its active vCPUs; RTDS reserves budget/period and,
 * with extratime, competes for the rest in proportion to that reservation.
 */
import type { CpupoolData, XenDomainData, XenHostData, XenVcpuData } from './types';
import { rtdsOf, vcpuSched } from './sched-data';
import { domainRunnable, vcpuLoad } from './vcpu-time';

interface Claim {
  d: XenDomainData;
  v: XenVcpuData;
  weight: number;
  /** the most this vCPU can use */
  upper: number;
  rate: number;
  frozen: boolean;
}

interface Limit {
  members: Claim[];
  capacity: number;
}

const EPS = 1e-12;

function wantsCpu(d: XenDomainData, v: XenVcpuData): boolean {
  return v.online && !v.pausedForShutdown && domainRunnable(d);
}

/**
 * The pCPUs of the pool a vCPU may run on, and that set as a key. vCPUs
 * share their affinity lists (a record's masks are decoded once per
 * process, lib/xen/record.ts), so each list is intersected with the pool
 * once, not once per vCPU: on a 64-pCPU host with a hundred guests that
 * was most of the work of creating one more.
 */
function allowedCpus(pool: CpupoolData): (v: XenVcpuData) => { cpus: number[]; key: string } {
  const inPool = new Set(pool.cpus);
  const seen = new Map<readonly number[], { cpus: number[]; key: string }>();
  return (v) => {
    let e = seen.get(v.hardAffinity);
    if (!e) {
      const a = v.hardAffinity.filter((c) => inPool.has(c));
      // Xen falls back to the whole pool when the hard mask misses it.
      const cpus = a.length > 0 ? a : pool.cpus.slice();
      e = { cpus, key: cpus.join(',') };
      seen.set(v.hardAffinity, e);
    }
    return e;
  };
}

function claimsOf(pool: CpupoolData, doms: XenDomainData[], limits: Limit[]): Claim[] {
  const claims: Claim[] = [];
  for (const d of doms) {
    const mine: Claim[] = [];
    for (const v of d.vcpus) {
      if (!wantsCpu(d, v)) continue;
      const demand = Math.min(1, vcpuLoad(d, v));
      if (demand <= 0) continue;
      let weight = d.sched.weight;
      let upper = demand;
      if (pool.sched === 'rtds') {
        const r = rtdsOf(v);
        const reserved = r.periodUs > 0 ? Math.min(1, r.budgetUs / r.periodUs) : 0;
        weight = reserved;
        if (!r.extratime) upper = Math.min(upper, reserved);
      } else if (pool.sched === 'null' || pool.sched === 'arinc653') {
        weight = 1;
      }
      mine.push({ d, v, weight, upper, rate: 0, frozen: false });
    }
    if (pool.sched === 'credit' && mine.length > 0) for (const c of mine) c.weight /= mine.length;
    if ((pool.sched === 'credit' || pool.sched === 'credit2') && d.sched.cap > 0 && mine.length > 0) {
      limits.push({ members: mine, capacity: d.sched.cap / 100 });
    }
    claims.push(...mine);
  }
  return claims;
}

/**
 * Everything of one domain that computeShares reads, as one string: when a
 * changed domain is stored with the same inputs (a new memory target, a
 * claim, a handle), the division of the pCPUs cannot have changed and the
 * rebalance over every domain is skipped. Keep in step with claimsOf and
 * affinityLimits.
 */
export function schedInputs(d: XenDomainData): string {
  let s = `${domainRunnable(d) ? 1 : 0}|${d.cpupool}|${d.sched.weight}|${d.sched.cap}`;
  for (const v of d.vcpus) {
    const r = vcpuSched(v).rtds;
    s += `|${v.online ? 1 : 0}${v.pausedForShutdown ? 1 : 0}:${vcpuLoad(d, v)}:${v.hardAffinity.join(',')}`;
    if (r) s += `:${r.periodUs}/${r.budgetUs}/${r.extratime ? 1 : 0}`;
  }
  return s;
}

/** Affinity limits: the vCPUs confined to a set of pCPUs cannot use more than that set. */
function affinityLimits(pool: CpupoolData, claims: Claim[]): Limit[] {
  const sets = new Map<string, number[]>();
  const allowedOf = new Map<Claim, number[]>();
  const allowed = allowedCpus(pool);
  for (const c of claims) {
    const a = allowed(c.v);
    allowedOf.set(c, a.cpus);
    sets.set(a.key, a.cpus);
  }
  const limits: Limit[] = [{ members: claims, capacity: pool.cpus.length }];
  for (const s of sets.values()) {
    if (s.length === pool.cpus.length) continue;
    const inSet = new Set(s);
    const members = claims.filter((c) => allowedOf.get(c)!.every((cpu) => inSet.has(cpu)));
    limits.push({ members, capacity: s.length });
  }
  return limits;
}

function fill(claims: Claim[], limits: Limit[]): void {
  for (const c of claims) if (c.weight <= 0 || c.upper <= 0) c.frozen = true;
  for (;;) {
    const open = claims.filter((c) => !c.frozen);
    if (open.length === 0) return;
    // the level each unfrozen vCPU would run at is weight × level
    let level = Infinity;
    for (const c of open) level = Math.min(level, c.upper / c.weight);
    const tight: Limit[] = [];
    for (const l of limits) {
      let used = 0;
      let w = 0;
      for (const m of l.members) {
        if (m.frozen) used += m.rate;
        else w += m.weight;
      }
      if (w <= 0) continue;
      const at = Math.max(0, l.capacity - used) / w;
      if (at < level - EPS) {
        level = at;
        tight.length = 0;
        tight.push(l);
      } else if (Math.abs(at - level) <= EPS) tight.push(l);
    }
    for (const c of open) c.rate = Math.min(c.upper, c.weight * level);
    let froze = false;
    for (const c of open) {
      if (c.upper / c.weight <= level + EPS) {
        c.frozen = true;
        froze = true;
      }
    }
    for (const l of tight) {
      for (const m of l.members) {
        if (!m.frozen) {
          m.frozen = true;
          froze = true;
        }
      }
    }
    if (!froze) for (const c of open) c.frozen = true;
  }
}

/**
 * Every vCPU's share of a pCPU for the host's current state, keyed by
 * domain id then vCPU id (undefined: the vCPU wants no CPU now). Costs O(vCPUs × distinct affinity sets) per pool.
 */
export function computeShares(host: XenHostData, doms: XenDomainData[]): Map<number, Array<number | undefined>> {
  const out = new Map<number, Array<number | undefined>>();
  for (const d of doms) out.set(d.domid, d.vcpus.map(() => undefined));
  for (const pool of host.cpupools) {
    if (pool.cpus.length === 0) continue;
    const members = doms.filter((d) => d.cpupool === pool.id);
    const limits: Limit[] = [];
    const claims = claimsOf(pool, members, limits);
    limits.push(...affinityLimits(pool, claims));
    fill(claims, limits);
    for (const c of claims) out.get(c.d.domid)![c.v.id] = c.rate;
  }
  return out;
}

/**
 * Store freshly computed shares, with the demand each was computed for (a
 * share is only trusted while the vCPU still asks for the same amount; see
 * vcpu-time.ts). Returns the domains whose records changed.
 */
export function applyShares(doms: XenDomainData[], shares: Map<number, Array<number | undefined>>): XenDomainData[] {
  const changed: XenDomainData[] = [];
  for (const d of doms) {
    const s = shares.get(d.domid);
    let diff = false;
    d.vcpus.forEach((v, i) => {
      const sv = vcpuSched(v);
      const next = s?.[i];
      const demand = next === undefined ? undefined : Math.min(1, vcpuLoad(d, v));
      if (sv.share !== next || sv.shareDemand !== demand) {
        if (next === undefined) {
          delete sv.share;
          delete sv.shareDemand;
        } else {
          sv.share = next;
          sv.shareDemand = demand;
        }
        diff = true;
      }
    });
    if (diff) changed.push(d);
  }
  return changed;
}
