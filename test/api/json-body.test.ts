import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type Request, type Response } from 'express';
import t from 'tap';
import { readJsonBody, readNodeJsonBody } from '../../services/api/http/json-body.js';

/*
 * readNodeJsonBody reads the common case (UTF-8 JSON, a Content-Length within
 * the limit) itself and hands everything else to body-parser: both must end
 * the same for every body, down to the error's type, status and message.
 */

type Outcome = { body: unknown } | { error: { type?: string; status?: number; message: string } };

const outcomeOf = (error: unknown, body: unknown): Outcome => {
  if (!error) return { body };
  const { type, status, message } = error as { type?: string; status?: number; message: string };
  return { error: { type, status, message } };
};

const bodyParser = express.json({ limit: '1kb', strict: true });
const readers: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<Outcome>> = {
  ours: (req, res) =>
    readNodeJsonBody(req, res, '1kb').then(
      () => outcomeOf(undefined, (req as IncomingMessage & { body?: unknown }).body),
      (error: unknown) => outcomeOf(error, undefined),
    ),
  bodyParser: (req, res) =>
    new Promise((resolve) => {
      bodyParser(req as Request, res as Response, (error?: unknown) => resolve(outcomeOf(error, (req as Request).body)));
    }),
};

const servers: Record<string, string> = {};
for (const [name, read] of Object.entries(readers)) {
  const server = http.createServer((req, res) => {
    void read(req, res).then((outcome) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(outcome)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  servers[name] = `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends raw bytes with exactly these headers (no fetch: it would fix up what we want wrong). */
function send(address: string, headers: Record<string, string>, body: Buffer, chunked = false): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: Number(port), method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    if (chunked) {
      req.write(body.subarray(0, 3));
      req.end(body.subarray(3));
    } else req.end(body);
  });
}

const json = 'application/json';
const cases: { label: string; type?: string; body: Buffer; encoding?: string; chunked?: boolean }[] = [
  { label: 'an object', type: json, body: Buffer.from('{"context":{"key":"user-1","n":[1,2]}}') },
  { label: 'an array, after whitespace', type: json, body: Buffer.from(' \n[1, "two"]') },
  { label: 'non-ASCII', type: 'application/json; charset=utf-8', body: Buffer.from('{"name":"Zoë 田中 🚀"}') },
  { label: 'charset quoted, upper case', type: 'Application/JSON; charset="utf-8"', body: Buffer.from('{"a":1}') },
  { label: 'malformed', type: json, body: Buffer.from('{"context":') },
  { label: 'a bare string (strict)', type: json, body: Buffer.from('"text"') },
  { label: 'a number after whitespace (strict)', type: json, body: Buffer.from('  42') },
  { label: 'a byte-order mark', type: json, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]) },
  { label: '__proto__ as a key', type: json, body: Buffer.from('{"__proto__":{"x":1}}') },
  { label: 'latin1', type: 'application/json; charset=latin1', body: Buffer.from('{"a":"\xe9"}', 'latin1') },
  { label: 'an unknown charset', type: 'application/json; charset=klingon', body: Buffer.from('{"a":1}') },
  { label: 'gzip', type: json, body: gzipSync('{"zipped":true}'), encoding: 'gzip' },
  { label: 'chunked, no length', type: json, body: Buffer.from('{"chunked":true}'), chunked: true },
  { label: 'exactly the limit', type: json, body: Buffer.from(`{"a":"${'x'.repeat(1024 - 8)}"}`) },
  { label: 'one byte over the limit', type: json, body: Buffer.from(`{"a":"${'x'.repeat(1024 - 7)}"}`) },
  { label: 'not JSON at all', type: 'text/plain', body: Buffer.from('{"a":1}') },
  { label: 'invalid UTF-8', type: json, body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) },
];

t.test('the same outcome as body-parser for every body', async (t) => {
  for (const { label, type, body, encoding, chunked } of cases) {
    const headers: Record<string, string> = {};
    if (type) headers['content-type'] = type;
    if (encoding) headers['content-encoding'] = encoding;
    if (!chunked) headers['content-length'] = String(body.length);
    const [ours, theirs] = [await send(servers.ours!, headers, body, chunked), await send(servers.bodyParser!, headers, body, chunked)];
    t.same(JSON.parse(ours), JSON.parse(theirs), label);
  }
});

t.test('the common case is parsed', async (t) => {
  const body = Buffer.from('{"context":{"key":"user-1"}}');
  const answer = JSON.parse(await send(servers.ours!, { 'content-type': json, 'content-length': String(body.length) }, body));
  t.same(answer, { body: { context: { key: 'user-1' } } });
});

t.test('a client that goes away mid-body: the read fails, and reading again (Express after the lean path) fails at once too', async (t) => {
  const settled: string[] = [];
  const server = http.createServer((req, res) => {
    void readNodeJsonBody(req, res, '1kb').catch(async () => {
      settled.push('first read failed');
      await readJsonBody(req as Request, res as Response, '1kb').then(
        () => settled.push('second read succeeded'),
        () => settled.push('second read failed'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"context":');
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.destroy();
  for (const deadline = Date.now() + 20_000; settled.length < 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  t.same(settled, ['first read failed', 'second read failed']);
});
