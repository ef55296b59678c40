import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amzDateOf, assertStoreKey, createFileStore, LocalFileStore, S3FileStore, signV4 } from './file-store';
import { loadEnv } from '../env';

describe('local file store', () => {
  // The store's folder inside a parent of its own, so "nothing was written beside it" looks only at this test's files.
  let parent: string;
  let dir: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'lantern-store-'));
    dir = join(parent, 'store');
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('puts, gets and deletes by key, leaving no temporary file', async () => {
    const store = new LocalFileStore(dir);
    await store.put('activities/a1/f1.png', Buffer.from('hello'), 'image/png');
    expect((await store.get('activities/a1/f1.png'))?.toString()).toBe('hello');
    await store.put('activities/a1/f1.png', Buffer.from('again'), 'image/png');
    expect((await store.get('activities/a1/f1.png'))?.toString()).toBe('again');
    expect(readdirSync(join(dir, 'activities', 'a1'))).toEqual(['f1.png']);
    await store.delete('activities/a1/f1.png');
    expect(await store.get('activities/a1/f1.png')).toBeNull();
    await store.delete('activities/a1/f1.png');
  });

  it('refuses keys that could leave the folder', async () => {
    const store = new LocalFileStore(dir);
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'A/B', 'a//b', '']) {
      expect(() => assertStoreKey(key), key).toThrow();
      await expect(store.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow();
    }
    expect(readdirSync(parent)).toEqual(existsSync(dir) ? ['store'] : []);
  });

  it('is chosen by the settings', () => {
    expect(createFileStore(loadEnv({ LANTERN_DATA_DIR: dir }))).toBeInstanceOf(LocalFileStore);
    expect((createFileStore(loadEnv({ LANTERN_DATA_DIR: dir })) as LocalFileStore).root).toBe(join(dir, 'files'));
    expect(() => loadEnv({ FILE_STORE: 's3' })).toThrow(/S3_BUCKET: is required when FILE_STORE=s3/);
    const s3 = loadEnv({ FILE_STORE: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'lantern', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' });
    expect(createFileStore(s3)).toBeInstanceOf(S3FileStore);
  });
});

describe('S3 signature (version 4)', () => {
  it('matches the published example for GET Object', () => {
    // The "GET Object" example of Amazon's Signature Version 4 documentation for S3.
    const auth = signV4({
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: {
        range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
      },
      region: 'us-east-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(auth).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(amzDateOf(new Date('2013-05-24T00:00:00.000Z'))).toBe('20130524T000000Z');
  });
});

describe('S3 file store against a local S3-like server', () => {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const seen: string[] = [];
  let server: Server;
  let endpoint: string;
  const creds = { region: 'us-east-1', accessKeyId: 'lantern', secretAccessKey: 'secret-key-for-tests' };

  /** Recomputes the signature from what actually arrived: refuses a request whose headers differ from those signed. */
  const verify = (req: IncomingMessage, body: Buffer): boolean => {
    const auth = String(req.headers.authorization ?? '');
    const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
    const headers: Record<string, string> = {};
    for (const name of signed) if (name !== 'host') headers[name] = String(req.headers[name] ?? '');
    if (headers['x-amz-content-sha256'] !== createHash('sha256').update(body).digest('hex')) return false;
    const expected = signV4({ method: req.method!, url: new URL(req.url!, `http://${req.headers.host}`), headers, ...creds });
    return expected === auth;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push(`${req.method} ${req.url}`);
        if (!verify(req, body)) {
          res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
          return;
        }
        const key = req.url!;
        if (req.method === 'PUT') {
          objects.set(key, { body, type: String(req.headers['content-type']) });
          res.writeHead(200).end();
        } else if (req.method === 'GET') {
          const o = objects.get(key);
          if (!o) res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
          else res.writeHead(200, { 'content-type': o.type }).end(o.body);
        } else if (req.method === 'DELETE') {
          objects.delete(key);
          res.writeHead(204).end();
        } else res.writeHead(405).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    endpoint = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('puts, gets and deletes objects with signed requests, path-style', async () => {
    const store = new S3FileStore({ endpoint, bucket: 'lantern-files', ...creds });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await store.put('activities/a1/f1.png', bytes, 'image/png');
    expect(objects.get('/lantern-files/activities/a1/f1.png')).toEqual({ body: bytes, type: 'image/png' });
    expect(await store.get('activities/a1/f1.png')).toEqual(bytes);
    await store.delete('activities/a1/f1.png');
    expect(await store.get('activities/a1/f1.png')).toBeNull();
    await store.delete('activities/a1/f1.png');
    expect(seen).toContain('PUT /lantern-files/activities/a1/f1.png');
  });

  it('reports a refused request as an error naming the S3 code', async () => {
    const store = new S3FileStore({ endpoint, bucket: 'lantern-files', ...creds, secretAccessKey: 'wrong' });
    await expect(store.put('activities/a1/f2.png', Buffer.from('x'), 'image/png')).rejects.toThrow('answered 403 SignatureDoesNotMatch');
  });
});
