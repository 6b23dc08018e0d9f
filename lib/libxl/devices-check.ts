/**
 * Device consistency for `xlsim check`: what libxl recorded for each
 * device (/libxl/<domid>/device/<kind>/<devid>) has its frontend and
 * backend directories, every backend serves a live frontend domain, and a
 * passed-through PCI function belongs to one live guest at most, the one
 * libxl's /libxl/pci/<bdf>/domid names.
 */
import type { LibxlCtx } from './ctx';

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

export function checkDevices(lx: LibxlCtx): string[] {
  const problems: string[] = [];
  const live = (domid: number): boolean => lx.hv.getdomaininfo(domid).ok;
  for (const d of children(lx, '/libxl')) {
    if (!/^\d+$/.test(d)) continue;
    for (const kind of children(lx, `/libxl/${d}/device`)) {
      for (const devid of children(lx, `/libxl/${d}/device/${kind}`)) {
        const p = `/libxl/${d}/device/${kind}/${devid}`;
        // an emulated (QEMU) USB controller has no frontend or backend
        if (kind === 'vusb' && lx.xs.tryRead(`${p}/type`) === 'devicemodel') continue;
        for (const side of ['frontend', 'backend']) {
          const target = lx.xs.tryRead(`${p}/${side}`);
          if (target === undefined) problems.push(`${p}: no ${side} recorded`);
          else if (!lx.xs.exists(target)) problems.push(`${p}: ${side} ${target} is missing`);
        }
      }
    }
  }
  const owners = new Map<string, number>();
  for (const bd of children(lx, '/local/domain')) {
    for (const kind of children(lx, `/local/domain/${bd}/backend`)) {
      for (const fd of children(lx, `/local/domain/${bd}/backend/${kind}`)) {
        if (!live(Number(fd))) problems.push(`/local/domain/${bd}/backend/${kind}/${fd}: domain ${fd} does not exist`);
        if (kind !== 'pci') continue;
        const be = `/local/domain/${bd}/backend/pci/${fd}/0`;
        const num = Number(lx.xs.tryRead(`${be}/num_devs`) ?? '0');
        for (let i = 0; i < num; i++) {
          const bdf = lx.xs.tryRead(`${be}/dev-${i}`) ?? '';
          const other = owners.get(bdf);
          if (other !== undefined) problems.push(`PCI ${bdf} passed through to d${other} and d${fd}`);
          owners.set(bdf, Number(fd));
        }
      }
    }
  }
  for (const e of children(lx, '/libxl/pci')) {
    const dom = lx.xs.tryRead(`/libxl/pci/${e}/domid`);
    if (dom === undefined) continue;
    const m = /^([0-9a-f]{4})-([0-9a-f]{2})-([0-9a-f]{2})-([0-7])$/.exec(e);
    const bdf = m ? `${m[1]}:${m[2]}:${m[3]}.${m[4]}` : e;
    if (owners.get(bdf) !== Number(dom)) problems.push(`/libxl/pci/${e}/domid is ${dom} but the function is not passed through to it`);
  }
  return problems;
}
