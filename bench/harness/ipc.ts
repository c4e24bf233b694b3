import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/ itself: drivers are named relative to it. */
export const BENCH_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

interface CommandMessage {
  id: number;
  command: string;
  args: unknown;
}

type ReplyMessage = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Something a driver reports unasked (e.g. "every client of mine has version 12"). */
export interface DriverEvent {
  event: string;
  data: unknown;
}

/**
 * A bench child process (a load driver or a bare baseline server) run by
 * `node --import tsx`, so it never shares the runner's (or FlagShip's) event
 * loop. Commands go over the IPC channel and resolve with the child's reply.
 */
export class DriverProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly eventListeners = new Set<(event: DriverEvent) => void>();
  private exitError: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(readonly name: string, private readonly child: ChildProcess) {
    child.on('message', (message: ReplyMessage | DriverEvent) => {
      if ('event' in message) {
        for (const listener of this.eventListeners) listener(message);
        return;
      }
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitError = new Error(`${name} exited (code ${code}, signal ${signal})`);
        for (const waiter of this.pending.values()) waiter.reject(this.exitError);
        this.pending.clear();
        resolve();
      });
    });
  }

  /** Forks `bench/<entry>` and waits for it to say it is ready to take commands. */
  static async start(name: string, entry: string, nodeArgs: string[] = []): Promise<DriverProcess> {
    const child = fork(path.join(BENCH_DIR, entry), [], {
      execArgv: [...nodeArgs, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const driver = new DriverProcess(name, child);
    await new Promise<void>((resolve, reject) => {
      const onEvent = (event: DriverEvent) => {
        if (event.event !== 'ready') return;
        driver.eventListeners.delete(onEvent);
        resolve();
      };
      driver.eventListeners.add(onEvent);
      void driver.exited.then(() => reject(driver.exitError));
    });
    return driver;
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<T>(command: string, args: unknown = {}): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: CommandMessage = { id, command, args };
      this.child.send(message);
    });
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Asks the child to exit, then kills it if it has not within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exitError) return;
    this.child.send({ id: 0, command: 'exit', args: {} } satisfies CommandMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts `count` copies of one driver side by side. */
export async function startDrivers(name: string, entry: string, count: number): Promise<DriverProcess[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => DriverProcess.start(`${name}#${index + 1}`, entry)));
}

export async function stopAll(drivers: Iterable<DriverProcess>): Promise<void> {
  await Promise.all([...drivers].map((driver) => driver.stop()));
}

type Handler = (args: never) => unknown;

/**
 * The child's side: runs each command's handler and replies with its result
 * (or its error's message). `exit` runs `onExit` and ends the process.
 */
export function serveCommands(handlers: Record<string, Handler>, onExit: () => Promise<void> | void = () => undefined): void {
  process.on('message', (message: CommandMessage) => {
    if (message.command === 'exit') {
      void Promise.resolve(onExit()).finally(() => process.exit(0));
      return;
    }
    const handler = handlers[message.command];
    const run = async () => {
      if (!handler) throw new Error(`unknown command '${message.command}'`);
      return handler(message.args as never);
    };
    run().then(
      (result) => process.send!({ id: message.id, ok: true, result } satisfies ReplyMessage),
      (error: unknown) =>
        process.send!({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies ReplyMessage),
    );
  });
  // The parent going away (a crashed run) must not leave load drivers behind.
  process.on('disconnect', () => process.exit(0));
  emitEvent('ready', {});
}

/** Tells the parent something unasked. */
export function emitEvent(event: string, data: unknown): void {
  process.send?.({ event, data } satisfies DriverEvent);
}
