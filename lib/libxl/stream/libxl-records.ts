// libxl v2 records as libxl_stream_read.c's process_record() takes them, with the
// same messages (the caller adds "libxl: error: ..."). libxl, unlike libxc, has no
// optional records: any unknown type is refused.

import { hex8, streamError, type StreamError } from './errors';
import type { StreamEvent } from './events';
import { LIBXL_REC } from './format';
import type { DomainKind } from './writer';

export interface LibxlState {
  /** From the restoring config, else from the libxc domain header once read. */
  domain: DomainKind | null;
  libxc: 'pending' | 'running' | 'done';
  inCheckpoint: boolean;
  readonly checkpointed: boolean;
}

export function handleLibxlRecord(
  st: LibxlState,
  type: number,
  length: number,
  body: Buffer,
  offset: number,
): StreamEvent | StreamError {
  const err = (code: 'out-of-order' | 'malformed-record' | 'unknown-record' | 'missing-record', msg: string, origin: 'libxl' | 'xlsim' = 'libxl') =>
    streamError(code, origin, msg, offset);

  switch (type) {
    case LIBXL_REC.END:
      if (st.libxc !== 'done') return err('missing-record', 'stream ended without a complete libxc stream (LIBXC_CONTEXT)', 'xlsim');
      return { kind: 'end' };

    case LIBXL_REC.LIBXC_CONTEXT:
      if (st.libxc !== 'pending') return err('out-of-order', 'second LIBXC_CONTEXT record in stream', 'xlsim');
      st.libxc = 'running';
      return { kind: 'libxc-context' };

    case LIBXL_REC.EMULATOR_XENSTORE_DATA: {
      if (st.domain !== 'hvm') return err('unknown-record', 'Received a xenstore emulator record when none was expected');
      if (length < 8) return err('malformed-record', 'Emulator xenstore data record too short to contain header');
      if (st.libxc === 'pending') return err('out-of-order', 'emulator record before the libxc stream', 'xlsim');
      const entries: Array<[string, string]> = [];
      let p = 8;
      while (p < length) {
        const kEnd = body.indexOf(0, p);
        if (kEnd < 0) return err('malformed-record', 'Key in xenstore data not NUL terminated');
        if (kEnd === p) return err('malformed-record', 'empty key found in xenstore data');
        if (body[p] === 0x2f) return err('malformed-record', 'Key in xenstore data not relative');
        const vEnd = body.indexOf(0, kEnd + 1);
        if (vEnd < 0) return err('malformed-record', 'Val in xenstore data not NUL terminated');
        entries.push([body.toString('latin1', p, kEnd), body.toString('latin1', kEnd + 1, vEnd)]);
        p = vEnd + 1;
      }
      return { kind: 'emulator-xenstore-data', emulatorId: body.readUInt32LE(0), index: body.readUInt32LE(4), entries };
    }

    case LIBXL_REC.EMULATOR_CONTEXT:
      if (st.domain !== 'hvm') return err('unknown-record', 'Received an emulator context record when none was expected');
      if (length < 8) return err('malformed-record', 'Emulator record too short to contain header');
      if (st.libxc === 'pending') return err('out-of-order', 'emulator record before the libxc stream', 'xlsim');
      return { kind: 'emulator-context', emulatorId: body.readUInt32LE(0), index: body.readUInt32LE(4), blob: Buffer.from(body.subarray(8)) };

    case LIBXL_REC.CHECKPOINT_END:
      if (!st.inCheckpoint) return err('out-of-order', 'Unexpected CHECKPOINT_END record in stream');
      st.inCheckpoint = false;
      return { kind: 'checkpoint-end' };

    case LIBXL_REC.CHECKPOINT_STATE:
      if (!st.checkpointed) return err('out-of-order', 'Unexpected CHECKPOINT_STATE record in stream');
      if (length < 4) return err('malformed-record', 'CHECKPOINT_STATE record too short', 'xlsim');
      return { kind: 'checkpoint-state', id: body.readUInt32LE(0) };

    default:
      return err('unknown-record', `Unrecognised record ${hex8(type)}`);
  }
}
