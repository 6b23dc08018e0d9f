/**
 * Path rules of xenstored's canonicalize(): only [A-Za-z0-9-/_@], a
 * relative path is under the caller's home (/local/domain/<id>), no
 * trailing slash (except "/"), no "//", '@' only for special watch paths.
 */

const VALID = /^[A-Za-z0-9\-/_@]*$/;

/** Relative paths beyond a domain's home may be this long for guests. */
export const XENSTORE_REL_PATH_MAX = 2048;
export const XENSTORE_ABS_PATH_MAX = 3072;
/** One request's payload (path, NUL, value) must fit in this. */
export const XENSTORE_PAYLOAD_MAX = 4096;

export function homePath(domid: number): string {
  return `/local/domain/${domid}`;
}

/**
 * The absolute path for `p` as `caller` names it, or undefined (EINVAL).
 * `allowSpecial` admits "@releaseDomain"-style names.
 */
export function canonicalize(p: string, caller: number, privileged: boolean, allowSpecial = false): string | undefined {
  if (!VALID.test(p)) return undefined;
  if (p.startsWith('@') && !allowSpecial) return undefined;
  const name = p.startsWith('/') || p.startsWith('@') ? p : `${homePath(caller)}/${p}`;
  if (name.endsWith('/') && name !== '/') return undefined;
  if (name.includes('//')) return undefined;
  if (!privileged) {
    // The length quota counts what follows /local/domain/<n>/ (sscanf %5u).
    const m = /^\/local\/domain\/(\d{1,5})\//.exec(name);
    const rel = name.length - (m ? m[0].length : 0);
    if (rel > XENSTORE_REL_PATH_MAX) return undefined;
  }
  return name;
}

export function parentPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}
