import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SnapshotSchema, type Snapshot } from '../schemas/snapshots.js';

/** Where the client keeps its last-known snapshot, so an app starts with real flags while FlagShip is unreachable. */
export interface SnapshotStore {
  /** The stored snapshot, or undefined when there is none (or it cannot be read). */
  load(): Promise<Snapshot | undefined>;
  save(snapshot: Snapshot): Promise<void>;
}

/**
 * Keeps the last-known snapshot in a JSON file. Writes go to a temporary file
 * renamed over the old one, so a crash mid-write never leaves half a snapshot.
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
        const parsed = SnapshotSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : undefined;
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
