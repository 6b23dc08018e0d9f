/**
 * libxl_domain_core_dump (xc_domain_dumpcore): an ELF core of the guest.
 * The simulated guest has no page contents, so the file holds a real ELF
 * header (ET_CORE, x86-64) followed by a note describing the domain — a
 * small, deterministic stand-in that `file(1)` still recognises.
 */
import fs from 'node:fs';
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';

function elfHeader(): Buffer {
  const h = Buffer.alloc(64);
  h.write('\x7fELF', 0, 'latin1');
  h[4] = 2; // ELFCLASS64
  h[5] = 1; // little endian
  h[6] = 1; // EV_CURRENT
  h.writeUInt16LE(4, 16); // ET_CORE
  h.writeUInt16LE(62, 18); // EM_X86_64
  h.writeUInt32LE(1, 20);
  h.writeUInt16LE(64, 52); // e_ehsize
  return h;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
};

export function coreDump(lx: LibxlCtx, domid: number, file: string): LibxlRc {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 601, 'libxl_domain_core_dump'), domid, `Core dumping domain to ${file}`, 'No such process');
    return ERROR_FAIL;
  }
  const i = info.value;
  const note = `xlsim simulated core: domid=${domid} uuid=${i.handle} pages=${i.totPages} max_pages=${i.maxPages} vcpus=${i.maxVcpuId + 1}\n`;
  try {
    fs.writeFileSync(file, Buffer.concat([elfHeader(), Buffer.from(note, 'latin1')]));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 601, 'libxl_domain_core_dump'), domid, `Core dumping domain to ${file}`, ERRNO_TEXT[code] ?? 'Input/output error');
    return ERROR_FAIL;
  }
  return 0;
}
