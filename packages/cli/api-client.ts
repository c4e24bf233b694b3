import { ApiError, CliError } from './errors.js';
import type { Connection } from './config.js';

const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** FlagShip's admin API over fetch: JSON in and out, the token as a bearer, every error as an ApiError. */
export class ApiClient {
  constructor(private readonly connection: Connection) {}

  get url(): string {
    return this.connection.url;
  }

  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ApiResponse<T>> {
    const target = `${this.connection.url}${path}`;
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers: {
          authorization: `Bearer ${this.connection.token}`,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'no answer in time' : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
      throw new CliError(`could not reach FlagShip at ${this.connection.url}: ${reason}`);
    }
    const text = await response.text();
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok) throw new CliError(`${method} ${path}: FlagShip answered something that is not JSON`);
      }
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? '', error?.message ?? `${method} ${path} failed`, error?.details);
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path).then((response) => response.body);
  }
}

/** A path segment, escaped (flag keys may hold any letter, emoji, `.` or `~`). */
export const segment = (value: string) => encodeURIComponent(value);
