/**
 * Twin of libxl_read_file_contents() (tools/libs/light/libxl_utils.c) as xl
 * uses it for config files: only plain files are read, their size is taken
 * from fstat, and anything odd is logged by libxl before xl reports it.
 * Reading by the fstat size (not to EOF) is what keeps /dev/zero or a FIFO
 * from hanging or filling memory.
 */
import fs from 'node:fs';
import type { Xtl } from '../../../lib/util/xtl';
import { errnoCode, strerror } from './strerror';

const INT_MAX = 2147483647;

export type ReadResult = { ok: true; data: Buffer } | { ok: false; errno: string };

export function readFileContents(logger: Xtl, filename: string): ReadResult {
  const lib = (line: number, msg: string, errno?: string) =>
    logger.log('error', 'libxl', `libxl_utils.c:${line}:libxl_read_file_contents: ${msg}`, errno === undefined ? undefined : strerror(errno));
  let fd: number;
  try {
    fd = fs.openSync(filename, 'r');
  } catch (e) {
    const code = errnoCode(e) ?? 'EIO';
    if (code !== 'ENOENT') lib(338, `failed to open ${filename}`, code);
    return { ok: false, errno: code };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      // errno is still that of the last successful call: "Success"
      lib(348, `${filename} is not a plain file`, '');
      return { ok: false, errno: 'ENOTTY' };
    }
    if (st.size > INT_MAX) {
      lib(354, `file ${filename} is far too large`);
      return { ok: false, errno: 'EFBIG' };
    }
    const data = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      let n: number;
      try {
        n = fs.readSync(fd, data, got, st.size - got, got);
      } catch (e) {
        const code = errnoCode(e) ?? 'EIO';
        lib(368, `failed to read ${filename}`, code);
        return { ok: false, errno: code };
      }
      if (n === 0) {
        lib(370, `${filename} changed size while we were reading it`);
        return { ok: false, errno: 'ENOENT' };
      }
      got += n;
    }
    return { ok: true, data };
  } finally {
    fs.closeSync(fd);
  }
}
