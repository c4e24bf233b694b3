import { readFileSync } from 'node:fs';

/**
 * The soft limit on open files of a process (Linux: /proc/<pid>/limits), or
 * undefined where that cannot be read. Every socket is a file descriptor, so
 * this bounds the sockets one notifier can hold: it logs it at start, and
 * the capacity bench sizes its run by it.
 */
export function openFileLimit(pid: number | 'self' = 'self'): number | undefined {
  let limits: string;
  try {
    limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  } catch {
    return undefined;
  }
  const soft = limits.split('\n').find((line) => line.startsWith('Max open files'))?.split(/\s{2,}/)[1];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}
