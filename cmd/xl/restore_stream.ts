/**
 * The restore branch of create_domain() in tools/xl/xl_vmcontrol.c, shared
 * by `xl restore` (a file) and `xl migrate-receive` (stdin): read the xl
 * header, take the config, create the domain, feed the libxc/libxl stream
 * into it and install its memory. Each step that touches the host is its
 * own short transaction, so a stream arriving slowly never holds the lock.
 */
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { domainDestroy } from '../../lib/libxl/destroy';
import { ERROR_FAIL, ERROR_INVAL } from '../../lib/libxl/errors';
import { domainConfigFromJson } from '../../lib/libxl/json';
import { libxlLog, where } from '../../lib/libxl/log';
import { freemem } from '../../lib/libxl/mem';
import { restoreCreateDomain, restoreDoneLines, restoreInstall, restorePfnSpan } from '../../lib/libxl/restore';
import { dropPageImage } from '../../lib/libxl/save-pages';
import type { DomainConfig } from '../../lib/libxl/types';
import {
  containsConfigMessage,
  loadingMessage,
  parseGuestWorkload,
  REC_XLSIM_GUEST_WORKLOAD,
  type GuestWorkload,
  StreamReader,
  XL_FATAL_HEADER,
  type StreamError,
  type TscInfo,
  type XlConfig,
  type XlHeaderInfo,
} from '../../lib/libxl/stream';
import type { XlContext } from './context';
import { autoballoonOn } from './create_domain';
import { withLibxl } from './libxl_session';
import { parseConfigData } from './parse/index';
import { readFileContents } from './parse/readfile';
import { strerror } from './parse/strerror';

export interface ReceiveOptions {
  /** restore_source: the file name or "<incoming migration stream>" */
  source: string;
  /** migrate-receive: create as <name>--incoming */
  incoming: boolean;
  debug: boolean;
  /** `xl restore <ConfigFile> <CheckpointFile>`: this config replaces the saved one */
  configFile?: string;
}

export type ReceiveState = 'reading' | 'done' | 'failed';

export class StreamReceiver {
  private readonly reader: StreamReader;
  state: ReceiveState = 'reading';
  /** negative libxl rc once failed */
  rc = 0;
  domid: number | undefined;
  config: DomainConfig | undefined;
  /** the name before --incoming */
  commonName: string | undefined;
  private tsc: TscInfo | null = null;
  private workload: GuestWorkload | undefined;

  constructor(private readonly ctx: XlContext, private readonly o: ReceiveOptions) {
    // nothing here reads the pages as events: the reader's memory map is what counts
    this.reader = new StreamReader({ source: o.source, transientPages: true, pageEvents: false });
  }

  /** where to put the next chunk in an 8-aligned buffer (StreamReader.chunkAlignment) */
  get chunkAlignment(): number {
    return this.reader.chunkAlignment;
  }

  /** bytes after the libxl END (the migration handshake) */
  remainder(): Buffer {
    return Buffer.from(this.reader.remainder());
  }

  private fail(rc: number): void {
    this.state = 'failed';
    this.rc = rc;
    if (this.domid !== undefined) {
      const domid = this.domid;
      withLibxl(this.ctx, (lx) => {
        domainDestroy(lx, domid);
        dropPageImage(lx, domid);
      });
      this.domid = undefined;
    }
  }

  private report(e: StreamError): void {
    const ctx = this.ctx;
    const log = ctx.logger;
    switch (e.origin) {
      case 'xl':
        ctx.io.stderr.write(e.message + '\n');
        break;
      case 'libxl':
        if (e.code === 'truncated') libxlLog(log, 'error', where('libxl_utils.c', 507, 'libxl_read_exactly'), undefined, e.message);
        else libxlLog(log, 'error', where('libxl_stream_read.c', 646, 'process_record'), this.domid, e.message);
        break;
      default:
        log.log('error', 'xc', e.message, 'Internal error');
    }
    if (e.xlFatal) ctx.io.stderr.write(`xl: fatal error: xl_vmcontrol.c:${e.xlFatal === XL_FATAL_HEADER ? 751 : 778}: ${e.xlFatal}\n`);
  }

  private create(): void {
    const ctx = this.ctx;
    const d = this.config!;
    const r = withLibxl(ctx, (lx: LibxlCtx): { rc: number; domid?: number; pfns?: number } => {
      if (autoballoonOn(ctx, lx) && !freemem(lx, d)) {
        ctx.io.stderr.write('failed to free memory for the domain\n');
        return { rc: ERROR_FAIL };
      }
      const c = restoreCreateDomain(lx, d);
      if (c.rc && c.domid !== undefined) domainDestroy(lx, c.domid);
      // the pfns the stream will fill, so the receiver's page table is sized once
      return { ...c, pfns: !c.rc && c.domid !== undefined ? restorePfnSpan(lx, c.domid) : 0 };
    });
    if (r.rc || r.domid === undefined) {
      this.fail(r.rc || ERROR_FAIL);
      return;
    }
    this.domid = r.domid;
    if (r.pfns) this.reader.memory.reserve(r.pfns);
  }

  /**
   * Feeds bytes; returns true while more are wanted. transient: the chunk's
   * memory is reused once this returns (the reader copies what it keeps).
   */
  push(chunk: Buffer, transient = false): boolean {
    if (this.state !== 'reading') return false;
    for (const ev of this.reader.push(chunk)) {
      if (this.state !== 'reading') break;
      if ('code' in ev) {
        this.report(ev);
        this.fail(ERROR_FAIL);
        break;
      }
      this.onEvent(ev);
    }
    if (transient) this.reader.ownInput();
    return this.state === 'reading';
  }

  private onEvent(ev: Exclude<ReturnType<StreamReader['push']>[number], StreamError>): void {
    const ctx = this.ctx;
    switch (ev.kind) {
      case 'xl-header':
        ctx.io.stderr.write(loadingMessage(this.o.source, ev.info) + '\n');
        this.info = ev.info;
        return;
      case 'xl-config': {
        if (ev.config) ctx.io.stderr.write(containsConfigMessage(this.info!) + '\n');
        const d = this.parseConfig(ev.config);
        if (!d) return;
        if (this.o.incoming && d.c_info.name) {
          this.commonName = d.c_info.name;
          d.c_info.name = `${d.c_info.name}--incoming`;
        }
        this.config = d;
        this.create();
        return;
      }
      case 'domain-header':
        ctx.logger.log('info', 'xc', `Found ${ev.typeName} domain from Xen ${ev.xenMajor}.${ev.xenMinor}`);
        ctx.logger.log('info', 'xc', 'Restoring domain');
        return;
      case 'tsc-info':
        this.tsc = ev.tsc;
        return;
      case 'optional-record':
        if (ev.type === REC_XLSIM_GUEST_WORKLOAD) this.workload = parseGuestWorkload(ev.body);
        return;
      case 'libxc-end':
        ctx.logger.log('info', 'xc', 'Restore successful');
        return;
      case 'end':
        this.complete();
        return;
      default:
        return;
    }
  }

  private info: XlHeaderInfo | undefined;

  /**
   * The config the domain is made from: the file named on the command
   * line (the saved one is ignored then), else the saved one — JSON when
   * the header says so, xl.cfg text otherwise.
   */
  private parseConfig(saved: XlConfig | null): DomainConfig | undefined {
    const ctx = this.ctx;
    const file = this.o.configFile;
    if (file !== undefined) {
      let data: Uint8Array = Buffer.alloc(0);
      // /dev/null stands for "no file" (the config comes from the command line in create)
      if (file !== '/dev/null') {
        const r = readFileContents(ctx.logger, file);
        if (!r.ok) {
          ctx.io.stderr.write(`Failed to read config file: ${file}: ${strerror(r.errno)}\n`);
          this.fail(ERROR_FAIL);
          return undefined;
        }
        data = r.data;
      }
      ctx.io.stderr.write(`Parsing config from ${file}\n`);
      return parseConfigData(ctx, file, data);
    }
    if (!saved) {
      ctx.io.stderr.write('Config file not specified and none in save file\n');
      this.fail(ERROR_INVAL);
      return undefined;
    }
    ctx.io.stderr.write('Parsing config from <saved>\n');
    if (!saved.json) return parseConfigData(ctx, '<saved>', saved.data);
    const parsed = domainConfigFromJson(saved.text);
    if (!parsed.ok) {
      this.fail(ERROR_INVAL);
      return undefined;
    }
    return parsed.value;
  }

  private complete(): void {
    const res = this.reader.finish();
    if (!res.ok) {
      this.report(res.error);
      this.fail(ERROR_FAIL);
      return;
    }
    const domid = this.domid!;
    const rc = withLibxl(this.ctx, (lx) => {
      const r = restoreInstall(lx, domid, { memory: res.memory, tsc: this.tsc, ...(this.workload ? { workload: this.workload } : {}) });
      if (!r) for (const l of restoreDoneLines(lx, domid)) lx.xtl.log('info', 'xc', l);
      return r;
    });
    if (rc) {
      this.fail(rc);
      return;
    }
    this.state = 'done';
  }

  /** EOF from the source */
  end(): void {
    if (this.state !== 'reading') return;
    const res = this.reader.finish();
    if (!res.ok) this.report(res.error);
    this.fail(ERROR_FAIL);
  }
}
