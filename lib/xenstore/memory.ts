/** An in-memory backend: unit tests of the store and of the layers above. */
import type { XsBackend, XsNodeData } from './backend';
import { baseName, parentPath } from './path';
import type { XsPerm } from './perms';

interface Node extends XsNodeData {
  children: string[];
}

export class MemoryXsBackend implements XsBackend {
  private readonly nodes = new Map<string, Node>();

  /**
   * The tree C xenstored starts with: "/", "/tool", "/tool/xenstored", and
   * the special watch nodes outside the tree, all n0.
   */
  constructor() {
    const perms: XsPerm[] = [{ id: 0, perm: 'n' }];
    for (const p of ['/', '@releaseDomain', '@introduceDomain']) this.nodes.set(p, { value: new Uint8Array(0), perms, children: [] });
    this.create('/tool', new Uint8Array(0), perms);
    this.create('/tool/xenstored', new Uint8Array(0), perms);
  }

  get(path: string): XsNodeData | undefined {
    const n = this.nodes.get(path);
    return n && { value: n.value, perms: n.perms.map((p) => ({ ...p })) };
  }
  exists(path: string): boolean {
    return this.nodes.has(path);
  }
  children(path: string): string[] {
    return [...(this.nodes.get(path)?.children ?? [])];
  }
  create(path: string, value: Uint8Array, perms: readonly XsPerm[]): void {
    const parent = this.nodes.get(parentPath(path));
    if (!parent) throw new Error(`xenstore backend: parent of ${path} missing`);
    parent.children.push(baseName(path));
    this.nodes.set(path, { value, perms: perms.map((p) => ({ ...p })), children: [] });
  }
  setValue(path: string, value: Uint8Array): void {
    this.nodes.get(path)!.value = value;
  }
  setPerms(path: string, perms: readonly XsPerm[]): void {
    this.nodes.get(path)!.perms = perms.map((p) => ({ ...p }));
  }
  removeTree(path: string): number {
    const n = this.nodes.get(path);
    if (!n) return 0;
    let count = 1;
    for (const c of n.children) count += this.removeTree(path === '/' ? `/${c}` : `${path}/${c}`);
    this.nodes.delete(path);
    const parent = this.nodes.get(parentPath(path));
    if (parent) parent.children = parent.children.filter((c) => c !== baseName(path));
    return count;
  }
}
