import { ApiClient } from './api-client.js';
import { resolveConnection } from './config.js';
import type { CliIo } from './io.js';

/** What every command gets: the streams, and the API client made on first use (login and --help need none). */
export class CommandContext {
  private client: ApiClient | undefined;

  constructor(readonly io: CliIo) {}

  async api(): Promise<ApiClient> {
    this.client ??= new ApiClient(await resolveConnection(this.io.env));
    return this.client;
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Progress and notes: stderr, so stdout carries only the answer (YAML, JSON). */
  note(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }
}
