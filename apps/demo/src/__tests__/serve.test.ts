// HTTP-level tests of the web page's server: routes, answers on the fixture vectors, validation
// (400 with a message), unknown words (404 with a suggestion), path traversal attempts, methods,
// the Host check and the loopback binding. Requests go through node:http with raw paths, so
// nothing normalises them before the server sees them.
import { request } from 'node:http';
import { Script } from 'node:vm';
import { pca } from '@embedkit/cooccurrence';
import { Embeddings } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog, parseCsv } from '../server/catalog';
import { PrefixIndex } from '../server/completion';
import { PAGE_SCRIPT } from '../server/page-script';
import { startServer } from '../server/server';
import type { RunningServer } from '../server/server';
import { fixtureEmbeddings, fixtureItems } from '../server/test-fixture';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

function call(server: RunningServer, path: string, options: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.host !== undefined) headers.host = options.host;
    const req = request(
      { host: server.host, port: server.port, path, method: options.method ?? 'GET', headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

function expectCleanError(reply: Reply, status: number): string {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  const body = reply.json();
  expect(typeof body.error).toBe('string');
  // Never a stack trace or an internal path.
  expect(reply.text).not.toMatch(/\n\s+at |node:internal|\.ts:\d+|\/work\//);
  return body.error as string;
}

describe('serve: HTTP API over the fixture vectors', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const { items, catalogCsv } = fixtureItems();
    server = await startServer({
      vectors: fixtureEmbeddings(),
      items,
      catalog: parseCatalog(catalogCsv),
      vectorsName: 'words.txt',
      port: 0,
    });
  });
  afterAll(() => server.close());

  it('binds to 127.0.0.1 by default', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('serves the page and its own assets with security headers', async () => {
    const page = await call(server, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<script src="/app.js" defer></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const script = await call(server, '/app.js');
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.text).toBe(PAGE_SCRIPT);
    expect((await call(server, '/app.css')).headers['content-type']).toMatch(/^text\/css/);
    expect((await call(server, '/favicon.svg')).status).toBe(200);
    const head = await call(server, '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('ships a script that parses and never uses innerHTML', () => {
    expect(() => new Script(PAGE_SCRIPT)).not.toThrow();
    expect(PAGE_SCRIPT).not.toMatch(/innerHTML|eval\(|new Function/);
  });

  it('describes the loaded vectors', async () => {
    const body = (await call(server, '/api/info')).json();
    expect(body.vectors).toEqual({ name: 'words.txt', size: fixtureEmbeddings().size, dim: 16 });
    expect(body.items).toMatchObject({ size: 40, dim: 16, titles: 40 });
  });

  it('completes prefixes case-insensitively, most frequent first, bounded', async () => {
    const body = (await call(server, `/api/complete?${q({ prefix: 'KI' })}`)).json();
    expect(body.words).toEqual(['king', 'kind', 'kingdom', 'kitchen', 'kite', 'kingfisher']);
    const limited = (await call(server, `/api/complete?${q({ prefix: 'k', limit: '2' })}`)).json();
    expect(limited.words).toEqual(['king', 'kind']);
    expect((await call(server, `/api/complete?${q({ prefix: 'zzz' })}`)).json().words).toEqual([]);
  });

  it('answers nearest neighbours sorted by similarity, without the word itself', async () => {
    const body = (await call(server, `/api/neighbours?${q({ word: 'king', topn: '5' })}`)).json();
    const neighbours = body.neighbours as { label: string; similarity: number }[];
    expect(neighbours).toHaveLength(5);
    expect(neighbours.map((n) => n.label)).not.toContain('king');
    for (let i = 1; i < neighbours.length; i++) {
      expect(neighbours[i]!.similarity).toBeLessThanOrEqual(neighbours[i - 1]!.similarity);
    }
    expect(neighbours.slice(0, 3).map((n) => n.label)).toContain('emperor');
    const paris = (await call(server, `/api/neighbours?${q({ word: 'paris', topn: '3' })}`)).json();
    expect((paris.neighbours as { label: string }[]).map((n) => n.label)).toContain('france');
  });

  it('solves analogies with both methods', async () => {
    for (const method of ['3CosAdd', '3CosMul']) {
      const body = (await call(server, `/api/analogy?${q({ a: 'man', b: 'king', c: 'woman', method })}`)).json();
      expect(body.method).toBe(method);
      expect((body.answers as { label: string }[])[0]!.label).toBe('queen');
    }
    const capital = (await call(server, `/api/analogy?${q({ a: 'france', b: 'paris', c: 'japan', topn: '1' })}`)).json();
    expect(capital.answers).toEqual([{ label: 'tokyo', similarity: expect.any(Number) }]);
  });

  it('maps a word and its neighbours to 2-D coordinates in [-1, 1]', async () => {
    const body = (await call(server, `/api/map?${q({ word: 'king', n: '10' })}`)).json();
    const points = body.points as { label: string; x: number; y: number; similarity: number }[];
    expect(points).toHaveLength(11);
    expect(points[0]).toMatchObject({ label: 'king', similarity: 1 });
    expect(new Set(points.map((p) => p.label)).size).toBe(11);
    let extent = 0;
    for (const p of points) {
      expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
      extent = Math.max(extent, Math.abs(p.x), Math.abs(p.y));
    }
    expect(extent).toBeCloseTo(1, 3);
    const ratio = body.explainedVarianceRatio as number[];
    expect(ratio).toHaveLength(2);
    expect(ratio[0]).toBeGreaterThanOrEqual(ratio[1]!);
  });

  it('maps exactly as a PCA of the full-dimension unit vectors (up to the sign of each axis)', async () => {
    const vectors = fixtureEmbeddings();
    for (const [word, n] of [['queen', 20], ['paris', 5], ['red', 60]] as const) {
      const body = (await call(server, `/api/map?${q({ word, n: String(n) })}`)).json();
      const points = body.points as { label: string; x: number; y: number }[];
      const data = new Float64Array(points.length * vectors.dim);
      points.forEach((p, r) => {
        const v = vectors.getOrThrow(p.label);
        const norm = Math.hypot(...v);
        v.forEach((x, j) => (data[r * vectors.dim + j] = x / norm));
      });
      const full = pca(data, points.length, vectors.dim, 2);
      let extent = 0;
      for (const c of full.coordinates) extent = Math.max(extent, Math.abs(c));
      const signs = [0, 1].map((t) => Math.sign(full.coordinates[t]!) * Math.sign(points[0]![t === 0 ? 'x' : 'y']) || 1);
      points.forEach((p, r) => {
        expect(p.x).toBeCloseTo((signs[0]! * full.coordinates[r * 2]!) / extent, 3);
        expect(p.y).toBeCloseTo((signs[1]! * full.coordinates[r * 2 + 1]!) / extent, 3);
      });
      expect(body.explainedVarianceRatio).toEqual(Array.from(full.explainedVarianceRatio, (v) => expect.closeTo(v, 3)));
    }
  });

  it('recommends items with catalogue titles, excluding the basket', async () => {
    const body = (await call(server, `/api/recommend?${q({ items: '2,3', topn: '5' })}`)).json();
    expect(body.items).toEqual([
      { id: '2', title: 'Lion King, The (1994)', genres: ['Animation', 'Children'] },
      { id: '3', title: 'Aladdin (1992)', genres: ['Animation', 'Children'] },
    ]);
    const recommendations = body.recommendations as { id: string; title: string; similarity: number }[];
    expect(recommendations).toHaveLength(5);
    for (const r of recommendations) {
      expect(['2', '3']).not.toContain(r.id);
      // Same genre cluster: ids 1–10.
      expect(Number(r.id)).toBeLessThanOrEqual(10);
      expect(r.title).not.toBe(r.id);
    }
  });

  it('searches items by id and by title', async () => {
    const byTitle = (await call(server, `/api/items?${q({ query: 'lion' })}`)).json();
    expect((byTitle.items as { title: string }[]).map((i) => i.title)).toEqual(['Lion King, The (1994)']);
    const byId = (await call(server, `/api/items?${q({ query: '12' })}`)).json();
    expect((byId.items as { id: string }[])[0]).toEqual({ id: '12', title: 'Heat (1995)', genres: ['Crime', 'Thriller'] });
  });

  it('answers an unknown word with 404 and the nearest spelling', async () => {
    const typo = await call(server, `/api/neighbours?${q({ word: 'qeen' })}`);
    expect(expectCleanError(typo, 404)).toBe("'qeen' is not in the vocabulary; did you mean 'queen'?");
    expect(typo.json().suggestion).toBe('queen');
    const far = await call(server, `/api/map?${q({ word: 'xylophone' })}`);
    expect(expectCleanError(far, 404)).toMatch(/^'xylophone' is not in the vocabulary \(\d+ words\)\.$/);
    expect(far.json().suggestion).toBeUndefined();
    const analogy = await call(server, `/api/analogy?${q({ a: 'man', b: 'kingg', c: 'woman' })}`);
    expect(expectCleanError(analogy, 404)).toContain("did you mean 'king'?");
    expect(analogy.json().word).toBe('kingg');
    const item = await call(server, `/api/recommend?${q({ items: '1,4242' })}`);
    expect(expectCleanError(item, 404)).toMatch(/^Item '4242' has no vector/);
  });

  it('refuses bad parameters with 400 and a message naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/api/neighbours', /'word' is required/],
      [`/api/neighbours?word=`, /'word' is empty/],
      [`/api/neighbours?word=%20%20`, /'word' is empty/],
      [`/api/neighbours?word=king&topn=0`, /'topn' must be an integer from 1 to 100, got "0"/],
      [`/api/neighbours?word=king&topn=101`, /'topn' must be an integer from 1 to 100/],
      [`/api/neighbours?word=king&topn=abc`, /'topn' must be an integer/],
      [`/api/neighbours?word=king&topn=1e2`, /'topn' must be an integer/],
      [`/api/neighbours?word=king&topn=-1`, /'topn' must be an integer/],
      [`/api/neighbours?word=king&topn=2.5`, /'topn' must be an integer/],
      [`/api/neighbours?word=king&topn=99999999999999999999`, /'topn' must be an integer/],
      [`/api/neighbours?word=king&topn=NaN`, /'topn' must be an integer/],
      [`/api/neighbours?word=king&topn=`, /'topn' must be an integer/],
      [`/api/neighbours?word=king&word=queen`, /'word' is given more than once/],
      [`/api/neighbours?word=king&evil=1`, /Unknown parameter "evil": this route accepts word, topn/],
      [`/api/neighbours?word=ki%00ng`, /control characters/],
      [`/api/neighbours?word=ki%0Ang`, /control characters/],
      [`/api/map?word=king&n=1`, /'n' must be an integer from 2 to 100/],
      [`/api/map?word=king&n=500`, /'n' must be an integer from 2 to 100/],
      [`/api/analogy?a=man&b=king`, /'c' is required/],
      [`/api/analogy?a=man&b=king&c=woman&method=cos`, /'method' must be one of 3CosAdd, 3CosMul/],
      [`/api/complete?prefix=k&limit=51`, /'limit' must be an integer from 1 to 50/],
      [`/api/info?x=1`, /this route accepts none/],
      [`/api/recommend?items=,,,`, /'items' is empty/],
      [`/api/recommend?items=${Array.from({ length: 51 }, (_, i) => i + 1).join(',')}`, /at most 50/],
      ['/app.js?x=1', /Assets take no parameters/],
    ];
    for (const [path, message] of cases) {
      const reply = await call(server, path);
      expect(expectCleanError(reply, 400), path).toMatch(message);
    }
  });

  it('refuses huge inputs without echoing them', async () => {
    const word = 'a'.repeat(10_000);
    const reply = await call(server, `/api/neighbours?word=${word}`);
    const message = expectCleanError(reply, 400);
    expect(message).toBe("Parameter 'word' is too long (10000 characters; at most 200).");
    expect(reply.text.length).toBeLessThan(200);
    const list = await call(server, `/api/recommend?items=${'12345,'.repeat(2000)}`);
    expect(expectCleanError(list, 400)).toMatch(/'items' is too long/);
    // Beyond Node's header limit the parser refuses before the router: still a JSON message (issue
    // 18: it was an empty 400), and the server lives on.
    for (const length of [40_000, 100_000]) {
      const giant = await call(server, `/api/neighbours?word=${'b'.repeat(length)}`);
      expect(expectCleanError(giant, 414)).toBe('The request is too long (its URL and headers pass 16 KiB): ask for fewer or shorter words.');
    }
    expect((await call(server, '/api/info')).status).toBe(200);
  });

  it('never serves a file for path traversal attempts', async () => {
    const paths = [
      '/../../etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/app.js/../../../../etc/passwd',
      '//etc/passwd',
      '/api/../../etc/passwd',
      '/api/neighbours/../../../etc/passwd?word=king',
      '/etc/passwd',
      '/C:/Windows/win.ini',
      '/package.json',
      '/src/server/server.ts',
      '/.%2e/.%2e/etc/passwd',
    ];
    for (const path of paths) {
      const reply = await call(server, path);
      expect(expectCleanError(reply, 404), path).toMatch(/^Not found/);
      expect(reply.text).not.toContain('root:');
    }
    // A word that looks like a path is only ever a word.
    const word = await call(server, `/api/neighbours?${q({ word: '../../etc/passwd' })}`);
    expect(expectCleanError(word, 404)).toMatch(/is not in the vocabulary/);
    // Absolute-form request targets are refused.
    expect((await call(server, 'http://127.0.0.1/etc/passwd')).status).toBe(400);
  });

  it('answers 404 for unknown routes and 405 for other methods', async () => {
    expect(expectCleanError(await call(server, '/api/nope'), 404)).toBe('Not found: "/api/nope".');
    expect(expectCleanError(await call(server, '/index.html'), 404)).toMatch(/Not found/);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const reply = await call(server, '/api/info', { method });
      expect(expectCleanError(reply, 405)).toMatch(new RegExp(`Method ${method} is not allowed`));
      expect(reply.headers.allow).toBe('GET, HEAD');
    }
    expect((await call(server, '/', { method: 'POST' })).status).toBe(405);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const reply = await call(server, '/api/info', { host: 'evil.example:80' });
    expect(expectCleanError(reply, 403)).toMatch(/only answers requests addressed to 127\.0\.0\.1 or localhost/);
    expect((await call(server, '/api/info', { host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('serve: without item vectors', () => {
  it('explains how to enable recommendations', async () => {
    const server = await startServer({ vectors: fixtureEmbeddings(), port: 0 });
    try {
      expect((await call(server, '/api/info')).json().items).toBeNull();
      const reply = await call(server, `/api/recommend?items=1`);
      expect(expectCleanError(reply, 404)).toMatch(/--items FILE/);
    } finally {
      await server.close();
    }
  });
});

describe('serve: unexpected errors', () => {
  it('answers 500 with a generic message and logs the details', async () => {
    class Broken extends Embeddings {
      override mostSimilar(): never {
        throw new Error('secret internal detail');
      }
    }
    const base = fixtureEmbeddings();
    const data = new Float32Array(base.size * base.dim);
    base.labels.forEach((label, i) => data.set(base.getOrThrow(label), i * base.dim));
    const logged: string[] = [];
    const server = await startServer({
      vectors: new Broken(base.labels, base.dim, data),
      port: 0,
      log: (message) => logged.push(message),
    });
    try {
      const reply = await call(server, '/api/neighbours?word=king');
      expect(expectCleanError(reply, 500)).toMatch(/^Internal server error/);
      expect(reply.text).not.toContain('secret');
      expect(logged.join('\n')).toContain('secret internal detail');
    } finally {
      await server.close();
    }
  });

  it('refuses an invalid port', async () => {
    await expect(startServer({ vectors: fixtureEmbeddings(), port: 70_000 })).rejects.toThrow(RangeError);
  });
});

describe('serve: building blocks', () => {
  it('PrefixIndex returns prefix matches in row order and handles the full range', () => {
    const index = new PrefixIndex(['the', 'Then', 'there', 'a', 'theory', 'tha', 'zebra']);
    expect(index.complete('the', 10)).toEqual(['the', 'Then', 'there', 'theory']);
    expect(index.complete('THE', 2)).toEqual(['the', 'Then']);
    expect(index.complete('', 3)).toEqual(['the', 'Then', 'there']);
    expect(index.complete('zz', 3)).toEqual([]);
    expect(index.complete('the', 0)).toEqual([]);
  });

  it('parseCsv handles quotes, doubled quotes, commas, line breaks and CRLF', () => {
    expect(parseCsv('a,b\r\n1,"x, ""y""\nz"\n2,\n')).toEqual([['a', 'b'], ['1', 'x, "y"\nz'], ['2', '']]);
  });

  it('parseCatalog reads MovieLens movies.csv rows and refuses a wrong header', () => {
    const catalog = parseCatalog(
      'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n182727,A Christmas Story Live! (2017),(no genres listed)\n',
    );
    expect(catalog.get('11')).toEqual({ id: '11', title: 'American President, The (1995)', genres: ['Comedy', 'Drama', 'Romance'] });
    expect(catalog.get('182727')?.genres).toEqual([]);
    expect(() => parseCatalog('userId,movieId,rating\n1,2,3\n', 'ratings.csv')).toThrow(/ratings\.csv: the header must name/);
  });
});

describe('the families panel', () => {
  it('serves the table of embedkit families when one is loaded, and a 404 naming the command when not', async () => {
    const families = { columns: ['method', 'family', 'dim'], rows: [['word2vec skip-gram', 'word2vec', '100']], caption: 'Measured today.' };
    const withTable = await startServer({ vectors: fixtureEmbeddings(), port: 0, families });
    const without = await startServer({ vectors: fixtureEmbeddings(), port: 0 });
    try {
      expect((await call(withTable, '/api/info')).json()['families']).toBe(true);
      const reply = await call(withTable, '/api/families');
      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual(families);
      expect((await call(without, '/api/info')).json()['families']).toBe(false);
      const missing = await call(without, '/api/families');
      expect(missing.status).toBe(404);
      expect(missing.json()['error']).toMatch(/run embedkit families/u);
      expect((await call(withTable, '/')).text).toContain('id="families-table"');
    } finally {
      await withTable.close();
      await without.close();
    }
  });
});
