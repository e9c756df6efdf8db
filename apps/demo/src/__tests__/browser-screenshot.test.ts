// Not a check: the script that takes the README's screenshot (docs/screenshot.png), kept as a
// test file so that it runs with the same TypeScript setup. It runs only when asked:
//
//   EMBEDKIT_SCREENSHOT=../../docs/screenshot.png \
//   EMBEDKIT_SCREENSHOT_VECTORS=/path/to/vectors.vec EMBEDKIT_SCREENSHOT_WORD=war \
//   EMBEDKIT_SCREENSHOT_ANALOGY=man,king,woman \
//   EMBEDKIT_SCREENSHOT_ITEMS=items.txt EMBEDKIT_SCREENSHOT_CATALOG=movies.csv \
//   EMBEDKIT_SCREENSHOT_BASKET='toy story 2,finding nemo' \
//   npx vitest run src/__tests__/browser-screenshot.test.ts
//
// Without EMBEDKIT_SCREENSHOT_VECTORS it uses the generated fixture vectors; the items panel is
// shown when EMBEDKIT_SCREENSHOT_ITEMS is set (each basket entry picks the first search result).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Embeddings } from '@embedkit/vectors';
import { describe, it } from 'vitest';
import { loadCatalog } from '../server/catalog';
import { startServer } from '../server/server';
import { writeFixtureFiles } from '../server/test-fixture';

const output = process.env.EMBEDKIT_SCREENSHOT;
const enabled = output !== undefined && existsSync('/usr/bin/chromium');

describe.skipIf(!enabled)('screenshot of the web page (EMBEDKIT_SCREENSHOT=FILE)', () => {
  it('writes the screenshot', async () => {
    const { chromium } = await import('playwright-core');
    const dir = await mkdtemp(join(tmpdir(), 'embedkit-shot-'));
    const vectorsPath = process.env.EMBEDKIT_SCREENSHOT_VECTORS ?? (await writeFixtureFiles(dir)).words;
    const word = process.env.EMBEDKIT_SCREENSHOT_WORD ?? 'king';
    const [a, b, c] = (process.env.EMBEDKIT_SCREENSHOT_ANALOGY ?? 'man,king,woman').split(',');
    const limit = process.env.EMBEDKIT_SCREENSHOT_LIMIT;
    const vectors = await Embeddings.load(vectorsPath, limit === undefined ? {} : { limit: Number(limit) });
    const itemsPath = process.env.EMBEDKIT_SCREENSHOT_ITEMS;
    const catalogPath = process.env.EMBEDKIT_SCREENSHOT_CATALOG;
    const server = await startServer({
      vectors,
      vectorsName: vectorsPath.split('/').pop(),
      items: itemsPath === undefined ? undefined : await Embeddings.load(itemsPath),
      catalog: catalogPath === undefined ? undefined : await loadCatalog(catalogPath),
      port: 0,
    });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1 });
      await page.goto(`${server.url}#${encodeURIComponent(word)}`);
      await page.locator('#map circle').first().waitFor();
      await page.locator('#analogy-a').fill(a ?? 'man');
      await page.locator('#analogy-b').fill(b ?? 'king');
      await page.locator('#analogy-c').fill(c ?? 'woman');
      await page.getByRole('button', { name: 'Solve' }).click();
      await page.locator('#analogy-results li').first().waitFor();
      for (const query of (process.env.EMBEDKIT_SCREENSHOT_BASKET ?? '').split(',').filter(Boolean)) {
        await page.locator('#item-query').fill(query);
        await page.locator('#item-options button').first().click();
      }
      if (process.env.EMBEDKIT_SCREENSHOT_BASKET) await page.locator('#recommendations li').first().waitFor();
      // Hover a point so the screenshot shows the tooltip too.
      await page.locator('#map circle:not(.query)').nth(2).hover();
      await page.locator('#map-tip').waitFor({ state: 'visible' });
      await page.screenshot({ path: resolve(output as string), fullPage: true });
    } finally {
      await browser.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
