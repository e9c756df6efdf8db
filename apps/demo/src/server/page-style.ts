/**
 * The web page's style sheet (served as `/app.css`). Plain CSS, system fonts, no external
 * resources; light and dark colour schemes follow the browser's preference.
 */

/** The contents of `/app.css`. */
export const PAGE_STYLE = String.raw`
:root {
  --bg: #f4f6f9; --card: #ffffff; --text: #1d2430; --muted: #5b6675; --line: #dde3ea;
  --accent: #1f6fb2; --accent-soft: #d6e7f6; --bar: #4c93cf; --error-bg: #fdecea; --error: #a1261b;
  --point: #4c93cf; --query: #d2532a; --on-accent: #ffffff;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14181e; --card: #1d232b; --text: #e4e9ef; --muted: #9aa6b4; --line: #323b46;
    --accent: #6cb0ec; --accent-soft: #23405c; --bar: #4c93cf; --error-bg: #4a1f1b; --error: #ffb4a9;
    --point: #6cb0ec; --query: #f08a5d; --on-accent: #0d1b2a;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
.top { display: flex; align-items: baseline; gap: 1.2rem; flex-wrap: wrap; padding: 0.9rem 1.5rem 0.2rem; }
.top h1 { margin: 0; font-size: 1.35rem; letter-spacing: 0.01em; }
.light { font-weight: 400; color: var(--muted); }
.info { margin: 0; color: var(--muted); font-size: 0.9rem; }
main { display: grid; grid-template-columns: minmax(320px, 5fr) minmax(360px, 7fr); gap: 1rem; padding: 0.8rem 1.5rem; align-items: start; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
.column { display: flex; flex-direction: column; gap: 1rem; min-width: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.9rem 1.1rem 1rem; }
.card h2 { margin: 0 0 0.6rem; font-size: 1.05rem; }
.card h3 { margin: 0.9rem 0 0.4rem; font-size: 0.95rem; color: var(--muted); font-weight: 600; }
.row { display: flex; gap: 0.5rem; align-items: center; }
.spread { justify-content: space-between; }
.spread h2 { margin: 0; }
input, select, button { font: inherit; color: inherit; }
input, select { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.55rem; min-width: 0; }
input:focus, select:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
#word { flex: 1; font-size: 1.05rem; }
button { background: var(--accent); color: var(--on-accent); border: 0; border-radius: 6px; padding: 0.42rem 0.9rem; cursor: pointer; font-weight: 600; }
button:hover { filter: brightness(1.08); }
.analogy { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.analogy input { width: 7.5rem; }
.analogy span { color: var(--muted); }
.error { margin-top: 0.6rem; padding: 0.5rem 0.7rem; border-radius: 6px; background: var(--error-bg); color: var(--error); }
.error button { background: none; color: inherit; padding: 0; text-decoration: underline; font-weight: 700; }
.summary { margin: 0.7rem 0 0.2rem; }
.summary b { color: var(--accent); }
.results { list-style: none; margin: 0.3rem 0 0; padding: 0; }
.results li { display: grid; grid-template-columns: 1.6rem minmax(6rem, 11rem) 1fr 3.4rem; gap: 0.5rem; align-items: center; padding: 0.12rem 0.2rem; border-radius: 4px; }
.results li.active { background: var(--accent-soft); }
.results .rank { color: var(--muted); font-size: 0.8rem; text-align: right; }
.results .label { background: none; color: var(--text); font-weight: 500; padding: 0; text-align: left; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.results .label:hover { color: var(--accent); text-decoration: underline; }
.results .title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.results .genres { display: block; color: var(--muted); font-size: 0.78rem; overflow: hidden; text-overflow: ellipsis; }
.results.items li { grid-template-columns: 1.6rem minmax(10rem, 1fr) minmax(4rem, 9rem) 3.4rem; padding: 0.18rem 0.2rem; }
.bar { height: 0.62rem; background: var(--line); border-radius: 3px; overflow: hidden; }
.fill { height: 100%; background: var(--bar); border-radius: 3px; }
.value { font-variant-numeric: tabular-nums; color: var(--muted); font-size: 0.85rem; text-align: right; }
.map-box { position: relative; }
#map { display: block; width: 100%; height: auto; background: var(--bg); border-radius: 8px; border: 1px solid var(--line); }
#map .axis { stroke: var(--line); stroke-width: 1; }
#map .link { stroke: var(--line); stroke-width: 1; }
#map .point { fill: var(--point); stroke: var(--card); stroke-width: 1.2; cursor: pointer; }
#map .point.query { fill: var(--query); }
#map .point.hover { stroke: var(--text); stroke-width: 2; }
#map text { font-size: 12.5px; fill: var(--text); paint-order: stroke; stroke: var(--bg); stroke-width: 3px; stroke-linejoin: round; pointer-events: none; }
#map text.query { font-weight: 700; font-size: 14px; fill: var(--query); }
#map text.hidden { display: none; }
#map text.hover { display: inline; font-weight: 700; }
#map .axis-label { font-size: 11px; fill: var(--muted); }
.placeholder { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; margin: 0; color: var(--muted); }
.tip { position: absolute; pointer-events: none; background: var(--text); color: var(--card); padding: 0.2rem 0.5rem; border-radius: 4px; font-size: 0.85rem; white-space: nowrap; transform: translate(-50%, -130%); }
.caption { color: var(--muted); font-size: 0.85rem; margin: 0.45rem 0 0; }
.card.wide { margin: 0 1.5rem 1rem; }
.table-box { overflow-x: auto; }
#families-table { border-collapse: collapse; font-size: 0.8rem; }
#families-table th, #families-table td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.45rem; text-align: right; white-space: nowrap; }
#families-table th:first-child, #families-table tbody th { text-align: left; white-space: normal; min-width: 12rem; }
.small { font-size: 0.85rem; color: var(--muted); display: flex; gap: 0.4rem; align-items: center; }
.picker { position: relative; margin-top: 0.6rem; }
.picker input { width: 100%; }
.dropdown { position: absolute; z-index: 2; left: 0; right: 0; top: 100%; margin: 2px 0 0; padding: 0.2rem 0; list-style: none; background: var(--card); border: 1px solid var(--line); border-radius: 6px; max-height: 16rem; overflow-y: auto; box-shadow: 0 6px 18px rgba(0, 0, 0, 0.12); }
.dropdown button { display: block; width: 100%; text-align: left; background: none; color: var(--text); font-weight: 400; border-radius: 0; padding: 0.3rem 0.6rem; }
.dropdown button:hover, .dropdown button:focus { background: var(--accent-soft); }
.basket { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0; margin: 0.6rem 0 0; }
.basket li { background: var(--accent-soft); border-radius: 999px; padding: 0.15rem 0.3rem 0.15rem 0.7rem; display: flex; gap: 0.3rem; align-items: center; font-size: 0.88rem; }
.basket button { background: none; color: var(--muted); padding: 0 0.3rem; font-weight: 700; }
.foot { color: var(--muted); font-size: 0.8rem; padding: 0.2rem 1.5rem 1.2rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
[hidden] { display: none !important; }
`;
