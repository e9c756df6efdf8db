/**
 * The web page's script (served as `/app.js`): plain browser JavaScript, no framework, no build
 * step. It talks to the JSON API only, builds every element with `createElement`/`textContent`
 * (never `innerHTML`, so a label can never inject markup), and keeps the current word in the
 * URL's hash so that reloading or sharing the page shows the same word.
 *
 * Written as a raw string: it must not contain backticks or dollar-brace sequences.
 */

/** The contents of `/app.js`. */
export const PAGE_SCRIPT = String.raw`'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var MAP_W = 640, MAP_H = 540, MAP_PAD = 34;
  var byId = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    return node;
  }
  function hashWord() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ''; }
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // GET /api/<route>?<params>; resolves with the JSON body, rejects with an Error carrying the
  // server's message (and its suggestion, if any).
  function api(route, params) {
    var url = '/api/' + route + '?' + new URLSearchParams(params).toString();
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) return body;
        var error = new Error(body.error || ('The server answered ' + response.status + '.'));
        error.suggestion = body.suggestion;
        error.word = body.word;
        throw error;
      });
    }, function () {
      throw new Error('Cannot reach the server: is embedkit serve still running?');
    });
  }

  // Shows an error in box; a suggestion becomes a button that runs onPick(suggestion).
  function showError(box, error, onPick) {
    clear(box);
    box.hidden = false;
    var message = error.message;
    if (error.suggestion && onPick) {
      var at = message.lastIndexOf('did you mean');
      box.appendChild(document.createTextNode(at >= 0 ? message.slice(0, at) + 'did you mean ' : message + ' Did you mean '));
      var pick = el('button', '', error.suggestion);
      pick.type = 'button';
      pick.addEventListener('click', function () { onPick(error.suggestion); });
      box.appendChild(pick);
      box.appendChild(document.createTextNode('?'));
    } else {
      box.textContent = message;
    }
  }
  function hideError(box) { box.hidden = true; clear(box); }

  // One result row: rank, label (a button that shows that word), similarity bar, value.
  function resultRow(rank, label, similarity, onPick, detail) {
    var li = el('li');
    li.dataset.label = label;
    li.appendChild(el('span', 'rank', String(rank)));
    if (onPick) {
      var button = el('button', 'label', label);
      button.type = 'button';
      button.title = 'Show ' + label;
      button.addEventListener('click', function () { onPick(label); });
      li.appendChild(button);
    } else {
      var title = el('span', 'title', detail ? detail.title : label);
      title.title = detail ? detail.title : label;
      if (detail && detail.genres.length) title.appendChild(el('span', 'genres', detail.genres.join(', ')));
      li.appendChild(title);
    }
    var bar = el('span', 'bar');
    var fill = el('span', 'fill');
    fill.style.display = 'block';
    fill.style.width = (Math.max(0, Math.min(1, similarity)) * 100).toFixed(1) + '%';
    bar.appendChild(fill);
    bar.title = 'similarity ' + similarity.toFixed(3);
    li.appendChild(bar);
    li.appendChild(el('span', 'value', similarity.toFixed(3)));
    return li;
  }

  // ---- completion from the vocabulary (datalist fed as the user types) ----
  var completionSeq = 0;
  var completionTimer = 0;
  function completeFrom(input) {
    clearTimeout(completionTimer);
    var prefix = input.value.trim();
    if (!prefix) return;
    completionTimer = setTimeout(function () {
      var seq = ++completionSeq;
      api('complete', { prefix: prefix, limit: 12 }).then(function (body) {
        if (seq !== completionSeq) return;
        var list = byId('word-options');
        clear(list);
        body.words.forEach(function (word) {
          var option = el('option');
          option.value = word;
          list.appendChild(option);
        });
      }, function () { /* completion is a convenience: ignore its errors */ });
    }, 90);
  }
  ['word', 'analogy-a', 'analogy-b', 'analogy-c'].forEach(function (id) {
    var input = byId(id);
    input.addEventListener('input', function () { completeFrom(input); });
  });

  // ---- nearest neighbours and map of a word ----
  var wordSeq = 0;
  function showWord(word) {
    word = word.trim();
    if (!word) return;
    byId('word').value = word;
    if (hashWord() !== word) history.replaceState(null, '', '#' + encodeURIComponent(word));
    var seq = ++wordSeq;
    var box = byId('word-error');
    var n = byId('map-n').value;
    Promise.all([api('neighbours', { word: word, topn: 15 }), api('map', { word: word, n: n })]).then(function (results) {
      if (seq !== wordSeq) return;
      hideError(box);
      renderNeighbours(results[0]);
      renderMap(results[1]);
    }, function (error) {
      if (seq !== wordSeq) return;
      showError(box, error, showWord);
      clear(byId('neighbours'));
      byId('neighbours-title').hidden = true;
    });
  }

  function renderNeighbours(body) {
    var list = byId('neighbours');
    clear(list);
    var title = byId('neighbours-title');
    title.hidden = false;
    title.textContent = 'Nearest neighbours of \u201c' + body.word + '\u201d';
    body.neighbours.forEach(function (n, i) { list.appendChild(resultRow(i + 1, n.label, n.similarity, showWord)); });
  }

  // Draws the map: points scaled into the view box, labels placed greedily (query first, then by
  // similarity) at the first of four positions that overlaps no placed label; a label that fits
  // nowhere is hidden and appears when its point is hovered.
  function renderMap(body) {
    var svg = byId('map');
    clear(svg);
    byId('map-empty').hidden = true;
    var points = body.points;
    // Each axis is stretched to fill the box (at most 2.5 times more than the other), so that
    // labels have room; the caption's variance shares say how much each axis explains.
    var extentX = 1e-9, extentY = 1e-9;
    points.forEach(function (p) { extentX = Math.max(extentX, Math.abs(p.x)); extentY = Math.max(extentY, Math.abs(p.y)); });
    var extent = Math.max(extentX, extentY);
    extentX = Math.max(extentX, extent / 2.5);
    extentY = Math.max(extentY, extent / 2.5);
    var sx = function (x) { return MAP_W / 2 + (x / extentX) * (MAP_W / 2 - MAP_PAD * 2); };
    var sy = function (y) { return MAP_H / 2 - (y / extentY) * (MAP_H / 2 - MAP_PAD); };
    svg.appendChild(svgEl('line', { x1: 12, y1: MAP_H / 2, x2: MAP_W - 12, y2: MAP_H / 2, 'class': 'axis' }));
    svg.appendChild(svgEl('line', { x1: MAP_W / 2, y1: 12, x2: MAP_W / 2, y2: MAP_H - 12, 'class': 'axis' }));
    var ratio = body.explainedVarianceRatio || [];
    var pc1 = svgEl('text', { x: MAP_W - 14, y: MAP_H / 2 - 6, 'text-anchor': 'end', 'class': 'axis-label' });
    pc1.textContent = 'PC1' + (ratio[0] !== undefined ? ' (' + Math.round(ratio[0] * 100) + '%)' : '');
    svg.appendChild(pc1);
    var pc2 = svgEl('text', { x: MAP_W / 2 + 6, y: 22, 'class': 'axis-label' });
    pc2.textContent = 'PC2' + (ratio[1] !== undefined ? ' (' + Math.round(ratio[1] * 100) + '%)' : '');
    svg.appendChild(pc2);

    var query = points[0];
    var pointLayer = svgEl('g', {});
    var labelLayer = svgEl('g', {});
    svg.appendChild(pointLayer);
    svg.appendChild(labelLayer);
    var tip = byId('map-tip');
    tip.hidden = true; // its point may have been removed with the old map
    // Placed label boxes; the axis captions count as placed so that no label covers them.
    var placed = [pc1, pc2].map(function (t) { var b = t.getBBox(); return { x: b.x, y: b.y, w: b.width, h: b.height }; });
    var axisBoxes = placed.length;
    // Points are obstacles for labels too (except the label's own point).
    var dots = points.map(function (p, i) { return { x: sx(p.x), y: sy(p.y), r: i === 0 ? 7 : 5 }; });
    var order = points.map(function (_, i) { return i; }).sort(function (a, b) {
      return a === 0 ? -1 : b === 0 ? 1 : points[b].similarity - points[a].similarity;
    });
    var nodes = [];
    points.forEach(function (p, i) {
      var d = dots[i];
      var circle = svgEl('circle', { cx: d.x.toFixed(1), cy: d.y.toFixed(1), r: d.r, 'class': 'point' + (i === 0 ? ' query' : '') });
      circle.dataset.label = p.label;
      // Closer neighbours are drawn darker: the colour repeats the similarity bars.
      if (i > 0) circle.setAttribute('fill-opacity', (0.35 + 0.65 * Math.max(0, Math.min(1, p.similarity))).toFixed(2));
      var title = svgEl('title', {});
      title.textContent = p.label + (i === 0 ? ' (query)' : ' \u2014 similarity ' + p.similarity.toFixed(3));
      circle.appendChild(title);
      pointLayer.appendChild(circle);
      nodes.push({ circle: circle, text: null });
    });
    order.forEach(function (i) {
      var p = points[i], d = dots[i];
      var text = svgEl('text', { 'class': i === 0 ? 'query' : '' });
      text.textContent = p.label;
      labelLayer.appendChild(text);
      var box = text.getBBox();
      var w = box.width, h = box.height || 14, gap = d.r + 3;
      var candidates = [
        { x: d.x + gap, y: d.y + h * 0.32, anchor: 'start', left: d.x + gap },
        { x: d.x - gap, y: d.y + h * 0.32, anchor: 'end', left: d.x - gap - w },
        { x: d.x, y: d.y - gap - 2, anchor: 'middle', left: d.x - w / 2 },
        { x: d.x, y: d.y + gap + h * 0.75, anchor: 'middle', left: d.x - w / 2 }
      ];
      var chosen = null;
      for (var c = 0; c < candidates.length && !chosen; c++) {
        var cand = candidates[c];
        var rect = { x: cand.left, y: cand.y - h * 0.78, w: w, h: h };
        if (rect.x < 2 || rect.x + rect.w > MAP_W - 2 || rect.y < 2 || rect.y + rect.h > MAP_H - 2) continue;
        var free = placed.every(function (o) { return !overlaps(rect, o); }) && dots.every(function (o, j) {
          return j === i || !overlaps(rect, { x: o.x - o.r, y: o.y - o.r, w: 2 * o.r, h: 2 * o.r });
        });
        if (free) { chosen = cand; placed.push(rect); }
      }
      var use = chosen || candidates[0];
      text.setAttribute('x', use.x.toFixed(1));
      text.setAttribute('y', use.y.toFixed(1));
      text.setAttribute('text-anchor', use.anchor);
      if (!chosen) text.classList.add('hidden');
      nodes[i].text = text;
    });
    nodes.forEach(function (node, i) {
      var p = points[i];
      node.circle.setAttribute('tabindex', '0');
      node.circle.setAttribute('aria-label', p.label + (i === 0 ? '' : ', similarity ' + p.similarity.toFixed(3)));
      var enter = function () {
        node.circle.classList.add('hover');
        node.text.classList.add('hover');
        tip.hidden = false;
        tip.textContent = i === 0 ? p.label : p.label + ' \u00b7 ' + p.similarity.toFixed(3);
        var rect = svg.getBoundingClientRect();
        tip.style.left = (dots[i].x / MAP_W * rect.width) + 'px';
        tip.style.top = (dots[i].y / MAP_H * rect.height) + 'px';
        highlight(p.label, true);
      };
      var leave = function () {
        node.circle.classList.remove('hover');
        node.text.classList.remove('hover');
        tip.hidden = true;
        highlight(p.label, false);
      };
      // Mouse and keyboard alike: Tab moves between points, Enter explores the focused one.
      node.circle.addEventListener('mouseenter', enter);
      node.circle.addEventListener('focus', enter);
      node.circle.addEventListener('mouseleave', leave);
      node.circle.addEventListener('blur', leave);
      node.circle.addEventListener('click', function () { if (i > 0) showWord(p.label); });
      node.circle.addEventListener('keydown', function (event) { if (event.key === 'Enter' && i > 0) showWord(p.label); });
    });
    var hidden = points.length - (placed.length - axisBoxes);
    byId('map-caption').textContent = 'PCA of \u201c' + query.label + '\u201d and its ' + (points.length - 1) +
      ' nearest neighbours (unit vectors). ' + (hidden > 0 ? hidden + (hidden === 1 ? ' label' : ' labels') + ' hidden to avoid overlaps: hover a point. ' : '') +
      'Click a point to explore it.';
  }
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function highlight(label, on) {
    var rows = byId('neighbours').children;
    for (var r = 0; r < rows.length; r++) if (rows[r].dataset.label === label) rows[r].classList.toggle('active', on);
  }

  byId('search-form').addEventListener('submit', function (event) {
    event.preventDefault();
    showWord(byId('word').value);
  });
  byId('map-n').addEventListener('change', function () {
    if (byId('word').value.trim()) showWord(byId('word').value);
  });
  window.addEventListener('hashchange', function () {
    var word = hashWord();
    if (word && word !== byId('word').value) showWord(word);
  });

  // ---- analogy ----
  byId('analogy-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var a = byId('analogy-a').value.trim(), b = byId('analogy-b').value.trim(), c = byId('analogy-c').value.trim();
    var box = byId('analogy-error');
    var list = byId('analogy-results');
    var summary = byId('analogy-summary');
    if (!a || !b || !c) {
      showError(box, new Error('Fill in the three words: a is to b as c is to ?'));
      return;
    }
    api('analogy', { a: a, b: b, c: c, topn: 10 }).then(function (body) {
      hideError(box);
      clear(list);
      clear(summary);
      summary.hidden = false;
      var best = body.answers[0];
      summary.appendChild(document.createTextNode(body.a + ' is to ' + body.b + ' as ' + body.c + ' is to '));
      summary.appendChild(el('b', '', best ? best.label : '?'));
      summary.appendChild(document.createTextNode(' (' + body.b + ' \u2212 ' + body.a + ' + ' + body.c + ')'));
      body.answers.forEach(function (n, i) { list.appendChild(resultRow(i + 1, n.label, n.similarity, showWord)); });
    }, function (error) {
      clear(list);
      summary.hidden = true;
      showError(box, error, function (word) {
        // Replace the misspelt word by the suggestion and solve again.
        ['analogy-a', 'analogy-b', 'analogy-c'].forEach(function (id) {
          if (byId(id).value.trim() === error.word) byId(id).value = word;
        });
        byId('analogy-form').requestSubmit();
      });
    });
  });

  // ---- item recommendations ----
  var basket = [];
  var itemSeq = 0;
  var itemTimer = 0;
  function initItems() {
    byId('items-card').hidden = false;
    var input = byId('item-query');
    var options = byId('item-options');
    input.addEventListener('input', function () {
      clearTimeout(itemTimer);
      var text = input.value.trim();
      if (!text) { options.hidden = true; return; }
      itemTimer = setTimeout(function () {
        var seq = ++itemSeq;
        api('items', { query: text, limit: 12 }).then(function (body) {
          if (seq !== itemSeq) return;
          clear(options);
          body.items.forEach(function (item) {
            var li = el('li');
            var button = el('button', '', item.title === item.id ? item.id : item.title + '  [' + item.id + ']');
            button.type = 'button';
            button.addEventListener('click', function () {
              addItem(item);
              input.value = '';
              options.hidden = true;
              input.focus();
            });
            li.appendChild(button);
            options.appendChild(li);
          });
          if (!body.items.length) options.appendChild(el('li', 'caption', 'No item matches.'));
          options.hidden = false;
        }, function (error) { showError(byId('items-error'), error); });
      }, 90);
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') options.hidden = true;
      if (event.key === 'Enter') {
        var first = options.querySelector('button');
        if (first && !options.hidden) first.click();
      }
    });
  }
  function addItem(item) {
    if (basket.some(function (b) { return b.id === item.id; })) return;
    basket.push(item);
    renderBasket();
  }
  function renderBasket() {
    var list = byId('basket');
    clear(list);
    basket.forEach(function (item, i) {
      var li = el('li', '', item.title);
      li.title = 'item ' + item.id;
      var remove = el('button', '', '\u00d7');
      remove.type = 'button';
      remove.setAttribute('aria-label', 'Remove ' + item.title);
      remove.addEventListener('click', function () { basket.splice(i, 1); renderBasket(); });
      li.appendChild(remove);
      list.appendChild(li);
    });
    var results = byId('recommendations');
    if (!basket.length) { clear(results); return; }
    api('recommend', { items: basket.map(function (b) { return b.id; }).join(','), topn: 10 }).then(function (body) {
      hideError(byId('items-error'));
      clear(results);
      body.recommendations.forEach(function (r, i) { results.appendChild(resultRow(i + 1, r.id, r.similarity, null, r)); });
    }, function (error) { showError(byId('items-error'), error); });
  }

  // The table of embedkit families, formatted by the server: header cells, then one row per method.
  function showFamilies() {
    api('families', {}).then(function (table) {
      var box = byId('families-table');
      clear(box);
      var head = el('tr');
      table.columns.forEach(function (title) { head.appendChild(el('th', '', title)); });
      box.appendChild(el('thead')).appendChild(head);
      var body = box.appendChild(el('tbody'));
      table.rows.forEach(function (cells) {
        var tr = el('tr');
        cells.forEach(function (cell, i) { tr.appendChild(el(i === 0 ? 'th' : 'td', '', cell)); });
        body.appendChild(tr);
      });
      byId('families-caption').textContent = table.caption;
      byId('families-card').hidden = false;
    }, function () { /* no table: the panel stays hidden */ });
  }

  // ---- start ----
  api('info', {}).then(function (info) {
    if (info.families) showFamilies();
    var v = info.vectors;
    byId('info').textContent = (v.name ? v.name + ' \u00b7 ' : '') + v.size.toLocaleString('en-US') + ' words \u00d7 ' + v.dim + ' dimensions' +
      (info.items ? ' \u00b7 ' + info.items.size.toLocaleString('en-US') + ' items' + (info.items.titles ? ' with titles' : '') : '');
    if (info.items) initItems();
    var word = hashWord();
    if (word) showWord(word);
  }, function (error) {
    byId('info').textContent = error.message;
  });
})();
`;
