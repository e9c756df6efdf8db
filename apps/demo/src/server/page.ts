/**
 * The web page's own assets — HTML, CSS, script and icon — compiled into the program as strings,
 * so the server never serves a file from disk and the page works offline (no CDN, no build step).
 * The script is plain browser JavaScript kept in `page-script.ts`; the HTML loads it and the style
 * sheet by path so the Content-Security-Policy can forbid inline code.
 */
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';

/** One asset of the page. */
export interface PageAsset {
  readonly contentType: string;
  readonly body: string;
}

const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>embedkit explorer</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header class="top">
  <h1>embedkit <span class="light">explorer</span></h1>
  <p id="info" class="info">Loading…</p>
</header>
<main>
  <div class="column">
    <section class="card" aria-labelledby="search-title">
      <h2 id="search-title">Word</h2>
      <form id="search-form" class="row" autocomplete="off">
        <input id="word" name="word" list="word-options" placeholder="Type a word…" aria-label="Word" maxlength="200" spellcheck="false" autofocus>
        <button type="submit">Show</button>
      </form>
      <datalist id="word-options"></datalist>
      <div id="word-error" class="error" role="alert" hidden></div>
      <h3 id="neighbours-title" hidden>Nearest neighbours</h3>
      <ol id="neighbours" class="results"></ol>
    </section>
    <section class="card" aria-labelledby="analogy-title">
      <h2 id="analogy-title">Analogy</h2>
      <form id="analogy-form" class="analogy" autocomplete="off">
        <input id="analogy-a" name="a" list="word-options" placeholder="man" aria-label="a" maxlength="200" spellcheck="false">
        <span>is to</span>
        <input id="analogy-b" name="b" list="word-options" placeholder="king" aria-label="b" maxlength="200" spellcheck="false">
        <span>as</span>
        <input id="analogy-c" name="c" list="word-options" placeholder="woman" aria-label="c" maxlength="200" spellcheck="false">
        <span>is to <b>?</b></span>
        <button type="submit">Solve</button>
      </form>
      <div id="analogy-error" class="error" role="alert" hidden></div>
      <p id="analogy-summary" class="summary" hidden></p>
      <ol id="analogy-results" class="results"></ol>
    </section>
  </div>
  <div class="column">
    <section class="card" aria-labelledby="map-title">
      <div class="row spread">
        <h2 id="map-title">Map</h2>
        <label class="small">points
          <select id="map-n" aria-label="Number of neighbours on the map">
            <option>10</option><option>20</option><option selected>30</option><option>50</option><option>100</option>
          </select>
        </label>
      </div>
      <div class="map-box">
        <svg id="map" viewBox="0 0 640 540" role="img" aria-label="2-D map of the word's neighbourhood"></svg>
        <div id="map-tip" class="tip" hidden></div>
        <p id="map-empty" class="placeholder">Search a word to draw its neighbourhood.</p>
      </div>
      <p id="map-caption" class="caption"></p>
    </section>
    <section id="items-card" class="card" aria-labelledby="items-title" hidden>
      <h2 id="items-title">Recommendations</h2>
      <p class="caption">Pick items you like; the closest items to them by item2vec vectors appear below.</p>
      <div class="picker">
        <input id="item-query" placeholder="Search a title or item id…" aria-label="Item search" maxlength="200" spellcheck="false" autocomplete="off">
        <ul id="item-options" class="dropdown" hidden></ul>
      </div>
      <ul id="basket" class="basket"></ul>
      <div id="items-error" class="error" role="alert" hidden></div>
      <ol id="recommendations" class="results items"></ol>
    </section>
  </div>
</main>
<section id="families-card" class="card wide" aria-labelledby="families-title" hidden>
  <h2 id="families-title">Embedding families, measured</h2>
  <p id="families-caption" class="caption"></p>
  <div class="table-box"><table id="families-table"></table></div>
</section>
<footer class="foot">Served locally by <code>embedkit serve</code>. Similarities are cosines; the map is a PCA projection of unit vectors.</footer>
</body>
</html>
`;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f4e79"/><circle cx="10" cy="20" r="3" fill="#fff"/><circle cx="21" cy="11" r="3" fill="#fff"/><circle cx="23" cy="22" r="2" fill="#9cc3e6"/></svg>`;

/** Path → asset: everything the server serves besides the JSON API. */
export const PAGE_ASSETS: ReadonlyMap<string, PageAsset> = new Map<string, PageAsset>([
  ['/', { contentType: 'text/html; charset=utf-8', body: PAGE_HTML }],
  ['/app.js', { contentType: 'text/javascript; charset=utf-8', body: PAGE_SCRIPT }],
  ['/app.css', { contentType: 'text/css; charset=utf-8', body: PAGE_STYLE }],
  ['/favicon.svg', { contentType: 'image/svg+xml', body: FAVICON }],
]);
