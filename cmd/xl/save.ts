/**
 * `xl save`: twin of main_save / save_domain / save_domain_core_begin /
 * save_domain_core_writeconfig in tools/xl/xl_saverestore.c.
 */
import fs from 'node:fs';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { domainDestroy } from '../../lib/libxl/destroy';
import { domainPause, domidToName } from '../../lib/libxl/domain';
import { domainConfigToJson } from '../../lib/libxl/json';
import { domainResume } from '../../lib/libxl/pvcontrol';
import { domainSuspendToStream } from '../../lib/libxl/save';
import { domainSuspended, saveSuspendFailed, suspendOnlyStart } from '../../lib/libxl/suspend';
import { recordTransfer } from '../../lib/libxl/transfers';
import { dropPageImage } from '../../lib/libxl/save-pages';
import { savingMessage, writeSaveHeader } from '../../lib/libxl/stream';
import { retrieveDomainConfiguration } from '../../lib/libxl/userdata';
import { Exit } from '../io';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { commandHelp } from './help';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';
import { parseConfigData } from './parse/index';
import { readFileContents } from './parse/readfile';
import { waitSuspended } from './suspend_wait';

/**
 * save_domain_core_begin: the config as JSON, or exit 1. The domain's own
 * config carries its domid only under -D; an override file is parsed as
 * create would parse it, and carries none.
 */
export function saveDomainCoreBegin(ctx: XlContext, lx: LibxlCtx, domid: number, preserveDomid: boolean, overrideFile?: string): string {
  if (overrideFile !== undefined) {
    const r = readFileContents(ctx.logger, overrideFile);
    if (!r.ok) {
      ctx.io.stderr.write('unable to read overridden config file\n');
      throw new Exit(1);
    }
    return domainConfigToJson(parseConfigData(ctx, overrideFile, r.data));
  }
  const cfg = retrieveDomainConfiguration(lx, domid);
  if (!cfg) {
    ctx.io.stderr.write('unable to retrieve domain configuration\n');
    throw new Exit(1);
  }
  cfg.c_info.domid = preserveDomid ? domid : 0;
  return domainConfigToJson(cfg);
}

/** libxl_domain_resume(ctx, domid, 1 (fast), 0) */
function resumeFast(lx: LibxlCtx, domid: number): void {
  domainResume(lx, domid);
}

export async function mainSave(ctx: XlContext, argv: string[]): Promise<number> {
  const p = switchForeachOpt(ctx, argv.slice(1), 'cpD', null, 'save', 2);
  let checkpoint = false;
  let leavePaused = false;
  let preserve = false;
  for (const o of p.opts) {
    if (o.opt === 'c') checkpoint = true;
    else if (o.opt === 'p') leavePaused = true;
    else if (o.opt === 'D') preserve = true;
  }
  if (p.args.length > 3) {
    ctx.io.stdout.write(commandHelp('save'));
    return 1;
  }
  const filename = p.args[1]!;
  const overrideFile = p.args[2];
  const first = withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const json = saveDomainCoreBegin(ctx, lx, domid, preserve, overrideFile);
    const name = domidToName(lx, domid) ?? '';
    const at = lx.now();
    let fd: number;
    try {
      fd = fs.openSync(filename, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o644);
    } catch {
      ctx.io.stderr.write(`Failed to open temp file ${filename} for writing\n`);
      throw new Exit(1);
    }
    const hdr = writeSaveHeader(json);
    fs.writeSync(fd, hdr.bytes);
    ctx.io.stderr.write(savingMessage(filename, hdr.info) + '\n');
    const job: SaveJob = { domid, fd, name, at, filename, headerBytes: hdr.bytes.length, pos: hdr.bytes.length, leavePaused, checkpoint };
    return { job, rc: saveStream(ctx, lx, job, false) };
  });
  if (first.rc !== 'unanswered') return first.rc;
  // the guest must answer control/shutdown first: libxl waits up to 60 s
  const { job } = first;
  const s = await waitSuspended(ctx, withLibxl(ctx, (lx) => suspendOnlyStart(lx, job.domid)));
  return withLibxl(ctx, (lx) => {
    if (s.rc === 0 && domainSuspended(lx, job.domid)) {
      // it answered after all: the stream is made again behind the header
      fs.ftruncateSync(job.fd, job.headerBytes);
      job.pos = job.headerBytes;
      const rc = saveStream(ctx, lx, job, true);
      return rc === 'unanswered' ? saveFailed(ctx, lx, job) : rc;
    }
    saveSuspendFailed(lx, job.domid, s.rc, s.responded);
    return saveFailed(ctx, lx, job);
  });
}

interface SaveJob {
  domid: number;
  fd: number;
  name: string;
  at: number;
  filename: string;
  headerBytes: number;
  /** where the stream goes on in the file */
  pos: number;
  leavePaused: boolean;
  checkpoint: boolean;
}

/**
 * libxl_domain_suspend into the file, and what main_save does after it;
 * 'unanswered' when the stream stopped at the suspend request (the file
 * stays open for the rest).
 */
function saveStream(ctx: XlContext, lx: LibxlCtx, job: SaveJob, announced: boolean): number | 'unanswered' {
  const { domid, fd } = job;
  let writeFailed = false;
  const out = domainSuspendToStream(
    lx,
    domid,
    (b) => {
      if (writeFailed) return;
      try {
        let off = 0;
        while (off < b.length) {
          const n = fs.writeSync(fd, b, off, b.length - off, job.pos);
          off += n;
          job.pos += n;
        }
      } catch {
        writeFailed = true;
      }
    },
    { live: false, fd, announced, sinkWritesAtOnce: true },
  );
  if ('unanswered' in out && !writeFailed) return 'unanswered';
  if (out.rc < 0 || writeFailed) return saveFailed(ctx, lx, job);
  fs.closeSync(fd);
  if ('stats' in out) {
    const subject = { kind: 'save' as const, domid, name: job.name, to: job.filename, at: job.at, live: false, headerBytes: job.headerBytes, outcome: 'completed' as const };
    recordTransfer(lx, subject, out.stats);
  }
  if (job.leavePaused || job.checkpoint) {
    if (job.leavePaused) domainPause(lx, domid);
    resumeFast(lx, domid);
  } else {
    domainDestroy(lx, domid);
    dropPageImage(lx, domid);
  }
  return 0;
}

function saveFailed(ctx: XlContext, lx: LibxlCtx, job: SaveJob): number {
  fs.closeSync(job.fd);
  ctx.io.stderr.write('Failed to save domain, resuming domain\n');
  resumeFast(lx, job.domid);
  return 1;
}
