/**
 * A strict little XML reader for checking generated SVG: it fails on
 * unbalanced or misnested tags, unquoted or duplicate attributes, stray '<'
 * or '&' in text, and anything after the root element. Enough to trust that
 * a browser will parse the file; not a general XML parser (no DTDs, CDATA).
 */

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function decode(s: string, where: number): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '<') throw new Error(`raw '<' in text at ${where + i}`);
    if (c === '&') {
      const m = ENTITY.exec(s.slice(i));
      if (!m) throw new Error(`bad entity at ${where + i}`);
      const e = m[1]!;
      out += e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      i += m[0].length - 1;
    } else out += c;
  }
  return out;
}

export function parseXml(src: string): XmlNode {
  let i = 0;
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? src.length : lt;
    const text = decode(src.slice(i, textEnd), i);
    const top = stack[stack.length - 1]!;
    if (stack.length === 1 && text.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    top.text += text;
    if (lt < 0) break;
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    const gt = src.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    const body = src.slice(lt + 1, gt);
    i = gt + 1;
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      const open = stack.pop();
      if (!open || open === root || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at ${lt}`);
      continue;
    }
    const selfClose = body.endsWith('/');
    const inner = selfClose ? body.slice(0, -1) : body;
    const m = /^([A-Za-z_][\w:.-]*)/.exec(inner);
    if (!m) throw new Error(`bad tag name at ${lt}`);
    const node: XmlNode = { name: m[1]!, attrs: {}, children: [], text: '' };
    let rest = inner.slice(m[1]!.length);
    const attrRe = /^\s+([A-Za-z_][\w:.-]*)="([^"<]*)"/;
    for (;;) {
      const a = attrRe.exec(rest);
      if (!a) break;
      if (a[1]! in node.attrs) throw new Error(`duplicate attribute ${a[1]} at ${lt}`);
      node.attrs[a[1]!] = decode(a[2]!, lt);
      rest = rest.slice(a[0].length);
    }
    if (rest.trim() !== '') throw new Error(`malformed attributes in <${node.name}> at ${lt}: ${rest.slice(0, 30)}`);
    if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element');
    top.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0]!;
}

export function findAll(n: XmlNode, name: string, out: XmlNode[] = []): XmlNode[] {
  if (n.name === name) out.push(n);
  for (const c of n.children) findAll(c, name, out);
  return out;
}
