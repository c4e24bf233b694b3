import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); 0 once it is gone. */
export function processCpuMs(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** The pids of the PostgreSQL backends connected to one database (the server runs on this machine). */
export async function backendPids(db: Pick<pg.Pool, 'query'>, databaseName: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1`, [databaseName]);
  return rows.map((row) => row.pid);
}

/** CPU ms several processes use while `work` runs (each counted from the start, so a process that exits is lost). */
export async function cpuDuring<T>(pids: Record<string, number[]>, work: () => Promise<T>): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const total = (group: number[]) => group.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const before = Object.fromEntries(Object.entries(pids).map(([name, group]) => [name, total(group)]));
  const result = await work();
  const cpuMs = Object.fromEntries(Object.entries(pids).map(([name, group]) => [name, total(group) - before[name]!]));
  return { result, cpuMs };
}
