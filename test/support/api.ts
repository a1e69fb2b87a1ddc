import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { loadConfig } from '@pavilion/config';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  raw?: string | Uint8Array;
}

/** A real API process-in-test: listening on a free port, spoken to over HTTP. */
export class TestApi {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<TestApi> {
    const app = await createApiApp(loadConfig({ ...process.env, ...env }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    return new TestApi(app, `http://127.0.0.1:${port}`);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Uint8Array | undefined = options.raw;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    } else if (payload !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body: payload });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: type.includes('json') && text ? JSON.parse(text) : text,
    };
  }

  get = <T = any>(path: string, options?: RequestOptions) => this.request<T>('GET', path, undefined, options);
  post = <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
    this.request<T>('POST', path, body ?? {}, options);
  patch = <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
    this.request<T>('PATCH', path, body ?? {}, options);
  delete = <T = any>(path: string, options?: RequestOptions) =>
    this.request<T>('DELETE', path, undefined, options);

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** Asserts an RFC 9457 problem response with the given status. */
export function expectProblem(response: ApiResponse, status: number): void {
  expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringContaining('application/problem+json'),
  });
  expect(response.body).toEqual(
    expect.objectContaining({
      status,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    }),
  );
}
