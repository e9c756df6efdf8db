// The web page in a real browser (Debian's chromium driven by playwright-core): completion,
// neighbours with bars, the map's points and non-overlapping labels, hover, an analogy, the
// message for an unknown word and its suggestion, item recommendations with titles, and no
// console error (a CSP violation or a script error would show there). Skips when
// /usr/bin/chromium is absent (`apt-get install chromium`; .ci/run installs it).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Embeddings } from '@embedkit/vectors';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../server/catalog';
import { startServer } from '../server/server';
import type { RunningServer } from '../server/server';
import { writeFixtureFiles } from '../server/test-fixture';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? 'web page in chromium'
  : `web page in chromium (SKIPPED: ${CHROMIUM} not found; install it with 'apt-get install -y chromium')`;

// The launch options .ci/run and the brief prescribe for Debian's chromium.
const CHROMIUM_OPTIONS = {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
};

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)(title, () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dir = await mkdtemp(join(tmpdir(), 'embedkit-browser-'));
    const files = await writeFixtureFiles(dir);
    server = await startServer({
      vectors: await Embeddings.load(files.words),
      items: await Embeddings.load(files.items),
      catalog: await loadCatalog(files.catalog),
      vectorsName: 'words.txt',
      port: 0,
    });
    browser = await chromium.launch(CHROMIUM_OPTIONS);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(server.url);
    await page.locator('#info').filter({ hasText: 'words' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows what is loaded', async () => {
    await expect(page.locator('#info').textContent()).resolves.toMatch(/^words\.txt · \d+ words × 16 dimensions · 40 items with titles$/);
  });

  it('completes words from the vocabulary as the user types', async () => {
    await page.locator('#word').pressSequentially('kin', { delay: 20 });
    // Polled: on a slow machine an answer for "k" or "ki" may show first, then be replaced.
    const options = () =>
      page.locator('#word-options option').evaluateAll((nodes) => nodes.map((n) => (n as unknown as { value: string }).value));
    await expect.poll(options, { timeout: 10_000 }).toEqual(['king', 'kind', 'kingdom', 'kingfisher']);
  });

  it('shows nearest neighbours with similarity bars', async () => {
    await page.locator('#word').fill('king');
    await page.locator('#word').press('Enter');
    const rows = page.locator('#neighbours li');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(15);
    await expect(page.locator('#neighbours-title').textContent()).resolves.toBe('Nearest neighbours of “king”');
    const labels = await page.locator('#neighbours .label').allTextContents();
    expect(labels.slice(0, 3)).toContain('emperor');
    expect(labels).not.toContain('king');
    const widths = await page.locator('#neighbours .fill').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().width));
    expect(widths[0]).toBeGreaterThan(0);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeLessThanOrEqual(widths[i - 1]! + 0.5);
    expect(new URL(page.url()).hash).toBe('#king');
  });

  it('draws the map with points and labels that do not overlap', async () => {
    await page.locator('#map circle').first().waitFor();
    await expect(page.locator('#map circle').count()).resolves.toBe(31);
    await expect(page.locator('#map circle.query').count()).resolves.toBe(1);
    await expect(page.locator('#map text.query').textContent()).resolves.toBe('king');
    const boxes: Box[] = await page.locator('#map g text:not(.hidden)').evaluateAll((nodes) =>
      nodes.map((n) => {
        const r = n.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    // Most labels fit; those shown never overlap one another.
    expect(boxes.length).toBeGreaterThanOrEqual(20);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
        const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
        expect(overlapX <= 1 || overlapY <= 1, `labels ${i} and ${j} overlap`).toBe(true);
      }
    }
    await expect(page.locator('#map-caption').textContent()).resolves.toMatch(/^PCA of “king” and its 30 nearest neighbours/);
  });

  it('shows the word and its similarity when a point is hovered', async () => {
    const point = page.locator('#map circle:not(.query)').first();
    const label = await point.getAttribute('data-label');
    await point.hover();
    const tip = page.locator('#map-tip');
    await tip.waitFor({ state: 'visible' });
    await expect(tip.textContent()).resolves.toMatch(new RegExp(`^${label} · 0\\.\\d{3}$`));
    // The first neighbour's point: its row in the list is highlighted while hovered.
    await expect(page.locator('#neighbours li.active').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-label')))).resolves.toEqual([label]);
    await page.mouse.move(1, 1);
    await tip.waitFor({ state: 'hidden' });
    // The keyboard reaches the points too: focus shows the tip, Enter explores the word.
    await point.focus();
    await tip.waitFor({ state: 'visible' });
    await point.press('Enter');
    await page.locator('#neighbours-title').filter({ hasText: `“${label}”` }).waitFor();
    await page.locator('#word').fill('king');
    await page.locator('#word').press('Enter');
    await page.locator('#neighbours-title').filter({ hasText: '“king”' }).waitFor();
  });

  it('solves an analogy', async () => {
    await page.locator('#analogy-a').fill('man');
    await page.locator('#analogy-b').fill('king');
    await page.locator('#analogy-c').fill('woman');
    await page.getByRole('button', { name: 'Solve' }).click();
    const summary = page.locator('#analogy-summary');
    await summary.waitFor({ state: 'visible' });
    await expect(summary.textContent()).resolves.toBe('man is to king as woman is to queen (king − man + woman)');
    await expect(page.locator('#analogy-results .label').first().textContent()).resolves.toBe('queen');
  });

  it('shows a clear message for an unknown word, with a clickable suggestion', async () => {
    await page.locator('#word').fill('qeen');
    await page.locator('#word').press('Enter');
    const error = page.locator('#word-error');
    await error.waitFor({ state: 'visible' });
    await expect(error.textContent()).resolves.toBe("'qeen' is not in the vocabulary; did you mean queen?");
    await expect(page.locator('#neighbours li').count()).resolves.toBe(0);
    await error.getByRole('button', { name: 'queen' }).click();
    await error.waitFor({ state: 'hidden' });
    await page.locator('#neighbours-title').filter({ hasText: 'queen' }).waitFor();
    await expect(page.locator('#word').inputValue()).resolves.toBe('queen');

    await page.locator('#word').fill('xylophone');
    await page.locator('#word').press('Enter');
    await error.waitFor({ state: 'visible' });
    await expect(error.textContent()).resolves.toMatch(/^'xylophone' is not in the vocabulary \(\d+ words\)\.$/);

    // Markup in a word is shown as text, never interpreted.
    const markup = '<img src=x onerror="document.title=1">';
    await page.locator('#word').fill(markup);
    await page.locator('#word').press('Enter');
    await page.locator('#word-error').filter({ hasText: markup }).waitFor();
    await expect(page.locator('#word-error img').count()).resolves.toBe(0);
    await expect(page.title()).resolves.toBe('embedkit explorer');

    await page.locator('#analogy-b').fill('kingg');
    await page.getByRole('button', { name: 'Solve' }).click();
    const analogyError = page.locator('#analogy-error');
    await analogyError.waitFor({ state: 'visible' });
    await expect(analogyError.textContent()).resolves.toBe("'kingg' is not in the vocabulary; did you mean king?");
    await analogyError.getByRole('button', { name: 'king' }).click();
    await analogyError.waitFor({ state: 'hidden' });
    await expect(page.locator('#analogy-b').inputValue()).resolves.toBe('king');
  });

  it('recommends items with titles from the catalogue', async () => {
    await page.locator('#item-query').pressSequentially('lion', { delay: 20 });
    const option = page.locator('#item-options button').filter({ hasText: 'Lion King, The (1994)' });
    await option.waitFor();
    await option.click();
    await expect(page.locator('#basket li').first().textContent()).resolves.toContain('Lion King, The (1994)');
    const titles = page.locator('#recommendations .title');
    await titles.first().waitFor();
    await expect(titles.count()).resolves.toBe(10);
    const animated = ['Toy Story (1995)', 'Aladdin (1992)', 'Jungle Book, The (1994)', 'Pocahontas (1995)', 'Balto (1995)', 'Babe (1995)'];
    const shown = await titles.evaluateAll((nodes) => nodes.map((n) => n.firstChild?.textContent ?? ''));
    expect(shown.slice(0, 5).every((t) => animated.includes(t) || /Hunchback|Beauty|Pinocchio/.test(t))).toBe(true);
    await expect(page.locator('#recommendations .genres').first().textContent()).resolves.toBe('Animation, Children');
  });

  it('logged no console error (no CSP violation, no script error)', () => {
    // The server's 404 answers to unknown words are logged by Chromium as failed resources.
    const unexpected = problems.filter((p) => !/status of 404/.test(p));
    expect(unexpected).toEqual([]);
  });
});
