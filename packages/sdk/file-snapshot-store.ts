import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isSnapshot } from './protocol.js';
import type { SnapshotStore } from './snapshot-store.js';

/**
 * Keeps the last-known snapshot in a JSON file (Node only: `@flagship/sdk/node`).
 * Writes go to a temporary file renamed over the old one, so a crash mid-write
 * never leaves half a snapshot.
 */
export function fileSnapshotStore(file: string): SnapshotStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        return undefined;
      }
      try {
        const stored: unknown = JSON.parse(text);
        return isSnapshot(stored) ? stored : undefined;
      } catch {
        return undefined;
      }
    },
    async save(snapshot) {
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(snapshot));
      await rename(temporary, file);
    },
  };
}
