/** Install path of a default Xen build (tools/configure: XENFIRMWAREDIR). */
export const XENFIRMWAREDIR = '/usr/lib/xen/boot';
