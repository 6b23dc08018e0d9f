/**
 * RecordStore over the host session's key/value records: one record per
 * (namespace, key), plus a small index per namespace so a namespace can be
 * listed (the session looks records up by exact key only).
 */
import type { Session } from '../../state/session';
import type { RecordStore } from './ctx';

export class SessionRecords implements RecordStore {
  constructor(private readonly s: Session) {}

  private indexKey(ns: string): string {
    return `${ns}#index`;
  }

  private index(ns: string): string[] {
    return this.s.getRecord<string[]>(this.indexKey(ns)) ?? [];
  }

  get<T>(ns: string, key: string): T | undefined {
    return this.s.getRecord<T>(`${ns}/${key}`);
  }

  put<T>(ns: string, key: string, value: T): void {
    this.s.putRecord(`${ns}/${key}`, value);
    const idx = this.index(ns);
    if (!idx.includes(key)) {
      idx.push(key);
      this.s.putRecord(this.indexKey(ns), idx);
    }
  }

  delete(ns: string, key: string): void {
    this.s.deleteRecord(`${ns}/${key}`);
    const idx = this.index(ns);
    const i = idx.indexOf(key);
    if (i >= 0) {
      idx.splice(i, 1);
      this.s.putRecord(this.indexKey(ns), idx);
    }
  }

  list<T>(ns: string): Array<{ key: string; value: T }> {
    const out: Array<{ key: string; value: T }> = [];
    for (const key of this.index(ns)) {
      const value = this.get<T>(ns, key);
      if (value !== undefined) out.push({ key, value });
    }
    return out;
  }
}
