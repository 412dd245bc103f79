// netgraph's interactive page: draws the insights where Graphviz placed them (the layout of the
// pictures), with sigma.js (WebGL) over a graphology graph. Everything it shows comes from the
// JSON block #netgraph-data that `netgraph render -o FILE.html` wrote; it loads nothing.
//
// A two-level page (a graph past 5,000 insights, or `--level themes`) opens on the theme map
// (data.map); each theme's insights travel in their own block #netgraph-theme-K (K its place
// in the legend), parsed when the theme is opened or a search needs it.
//
// Fragment (URL after #), all optional, joined by &:
//   q=WORDS       search for WORDS on load
//   theme=C       open theme C (its community id) on load (two-level pages)
//   node=ID       open insight ID's panel on load
//   selftest=WORDS  run the search, check the drawing and write the results as JSON into
//                 the hidden element #selftest-result (read by tests/integration/test_page.rs)
(function () {
  "use strict";

  var started = performance.now();
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message || e));
  });

  var data = JSON.parse(document.getElementById("netgraph-data").textContent);
  var DIM_NODE = "#E3E7EB";
  var DIM_EDGE = "#EEF1F4";
  // The picture's edge colours: the theme's colour at alpha 0x73 within a theme, grey at 0x59
  // across. sigma blends premultiplied colours, so they are mixed with the white page here.
  var EDGE_ACROSS = overWhite("#8796A5", 0x59);
  var OTHER_COLOUR = "#BBBBBB";
  // Pen widths of the picture's edges, lightest to heaviest weight, in points.
  var MIN_PEN = 0.8;
  var MAX_PEN = 5.0;
  // Labels narrower than this on screen are not drawn: unreadable, and they would only
  // clutter. Graphviz removed overlaps with the labels counted, so at any zoom where they are
  // drawn, they do not overlap.
  var MIN_LABEL_PX = 7;
  // A circle is never drawn smaller than this radius, in pixels, when zoomed far out.
  var MIN_RADIUS_PX = 1.6;
  // Most edges drawn: the heaviest, ties by node order. Past this many, redrawing them makes
  // panning and zooming stutter (measured: see the README); the panel still lists every
  // neighbour, and the caption says how many edges are drawn.
  var MAX_DRAWN_EDGES = 40000;
  var FONT = '"Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif';

  var $ = function (id) {
    return document.getElementById(id);
  };
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "class") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function fmt(x) {
    if (x === 0) return "0";
    if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en");
    return Number(x.toPrecision(4)).toString();
  }
  // `hex` (#rrggbb) drawn at `alpha` (0-255) over white, as an opaque #rrggbb.
  function overWhite(hex, alpha) {
    var a = alpha / 255;
    var out = "#";
    for (var k = 1; k < 7; k += 2) {
      var c = Math.round(a * parseInt(hex.substr(k, 2), 16) + (1 - a) * 255);
      out += (c < 16 ? "0" : "") + c.toString(16);
    }
    return out;
  }
  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many);
  }
  // Words are letters and digits (any script), compared without case or accents.
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var WORD = /[\p{L}\p{N}]+/gu;
  function words(s) {
    return fold(s).match(WORD) || [];
  }
  // An insight's words, each after a space, for prefix search.
  function haystack(n) {
    return " " + words(n.title + " " + n.text).join(" ");
  }

  // ---- the levels ----------------------------------------------------------------------------
  // A one-level page shows data (its insights); a two-level page shows data.map or one part.
  var themes = data.themes;
  var twoLevel = !!data.map;
  var parts = {};
  // Theme `t`'s insights (a level like a one-level page's), parsed once; null when the page
  // holds none for it ("other themes").
  function part(t) {
    if (!(t in parts)) {
      var block = document.getElementById("netgraph-theme-" + t);
      parts[t] = block ? JSON.parse(block.textContent) : null;
    }
    return parts[t];
  }
  var lv = null; // the level shown
  var kind = "insights"; // or "themes": the theme map
  var nodes = []; // lv.nodes
  var stubs = []; // lv.stubs
  var adjacency = [];
  var byId = {};
  var haystacks = [];
  var ranks = [];
  var edgeCount = 0;
  var graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });

  function isStub(key) {
    return key.charAt(0) === "s";
  }
  function stubOf(key) {
    return stubs[Number(key.slice(1))];
  }

  // Show `level` (kind "insights" or "themes") in place of what is drawn.
  function build(level, levelKind) {
    lv = level;
    kind = levelKind;
    nodes = level.nodes;
    stubs = level.stubs || [];
    graph.clear();
    var maxW = 0;
    var minW = Infinity;
    // Insights weigh edges by sources in common, themes by association (a ratio: log scale).
    var weightOf = kind === "themes" ? function (e) {
      return Math.log(e[2]);
    } : function (e) {
      return e[2];
    };
    level.edges.forEach(function (e) {
      maxW = Math.max(maxW, weightOf(e));
      minW = Math.min(minW, weightOf(e));
    });
    nodes.forEach(function (n, i) {
      var colour = themes[n.theme] ? themes[n.theme].colour : OTHER_COLOUR;
      graph.addNode(String(i), {
        x: n.x,
        y: n.y,
        r: n.r,
        size: n.r,
        color: kind === "themes" && n.community === null ? overWhite(OTHER_COLOUR, 0x66) : colour,
        label: kind === "themes" ? n.name : n.title || (n.label.length ? n.label.join(" ") : null),
        lines: n.label,
        theme: n.theme,
        zIndex: 1
      });
    });
    // Neighbours of each node, heaviest edge first (the panel's list).
    adjacency = nodes.map(function () {
      return [];
    });
    var drawn = level.edges.map(function (_, k) {
      return k;
    });
    if (drawn.length > MAX_DRAWN_EDGES) {
      drawn.sort(function (x, y) {
        return level.edges[y][2] - level.edges[x][2] || x - y;
      });
      drawn = drawn.slice(0, MAX_DRAWN_EDGES);
    }
    var isDrawn = new Uint8Array(level.edges.length);
    drawn.forEach(function (k) {
      isDrawn[k] = 1;
    });
    level.edges.forEach(function (e, k) {
      var a = e[0];
      var b = e[1];
      var w = e[kind === "themes" ? 3 : 2];
      adjacency[a].push([b, w]);
      adjacency[b].push([a, w]);
      if (!isDrawn[k]) return;
      var t = maxW > minW ? (weightOf(e) - minW) / (maxW - minW) : kind === "themes" ? 1 : 0;
      var same = kind === "insights" && nodes[a].theme === nodes[b].theme && themes[nodes[a].theme].colour !== OTHER_COLOUR;
      graph.addEdgeWithKey(a + "-" + b, String(a), String(b), {
        size: MIN_PEN + Math.sqrt(t) * (MAX_PEN - MIN_PEN),
        color: same ? overWhite(themes[nodes[a].theme].colour, 0x73) : EDGE_ACROSS,
        weight: w
      });
    });
    // The other themes a one-theme view links to: a small circle with its name, where the
    // picture draws its stub, and lines to the insights linking to it most.
    var heaviestStub = 0;
    stubs.forEach(function (s) {
      s.links.forEach(function (l) {
        heaviestStub = Math.max(heaviestStub, l[1]);
      });
    });
    stubs.forEach(function (s, k) {
      var key = "s" + k;
      var r = Math.max(4, Math.min(s.half[0], s.half[1]) * 0.45);
      graph.addNode(key, {
        x: s.x,
        y: s.y,
        r: r,
        size: r,
        color: s.colour,
        label: s.label,
        // The text the picture writes in the stub's box, at its size, under the dot.
        lines: s.label_lines.map(function (line, k) {
          return [line[0], 0, -(r + line[3] * (k + 1)), line[3]];
        }),
        theme: s.theme === null ? themes.length : s.theme,
        stub: true,
        zIndex: 1
      });
      s.links.forEach(function (l) {
        var t = heaviestStub > 0 ? l[1] / heaviestStub : 0;
        graph.addEdgeWithKey(l[0] + "-" + key, String(l[0]), key, {
          size: MIN_PEN + Math.sqrt(t) * (MAX_PEN - MIN_PEN) * 0.6,
          color: overWhite(s.colour, 0x80),
          weight: l[1]
        });
      });
    });
    edgeCount = level.edges.length;
    adjacency.forEach(function (list) {
      list.sort(function (x, y) {
        return y[1] - x[1] || (nodes[y[0]].score || 0) - (nodes[x[0]].score || 0) || x[0] - y[0];
      });
    });
    byId = {};
    if (kind === "insights") {
      nodes.forEach(function (n, i) {
        byId[n.id] = i;
      });
    }
    haystacks = nodes.map(function (n) {
      return kind === "themes" ? " " + words(n.name + " " + n.central_title).join(" ") : haystack(n);
    });
    // Ranks of every insight in every measure (1 = highest), for the panel.
    ranks = kind === "themes" ? [] : data.measures.map(function (_, m) {
      var order = nodes.map(function (_, i) {
        return i;
      });
      order.sort(function (a, b) {
        return nodes[b].scores[m] - nodes[a].scores[m] || nodes[a].id - nodes[b].id;
      });
      var rank = new Array(nodes.length);
      order.forEach(function (node, r) {
        rank[node] = r + 1;
      });
      return rank;
    });
  }

  // ---- what is shown ------------------------------------------------------------------------
  var state = {
    themeOn: themes.map(function () {
      return true;
    }),
    matches: null, // Set of node keys, or null when no search
    selected: null, // node key
    neighbours: new Set(),
    hovered: null
  };

  function focusOf(key) {
    if (state.selected !== null) return key === state.selected || state.neighbours.has(key);
    if (state.matches !== null) return state.matches.has(key);
    return true;
  }

  var renderer;
  var ppp = 1; // screen pixels per layout point at the current zoom
  var radiusFloor = 0; // layout points: MIN_RADIUS_PX at the current zoom

  function nodeReducer(key, attr) {
    var res = Object.assign({}, attr);
    if (!attr.stub && !state.themeOn[attr.theme]) {
      res.hidden = true;
      return res;
    }
    if (res.size < radiusFloor) res.size = radiusFloor;
    var highlighted =
      key === state.selected || (state.selected === null && state.matches !== null && state.matches.has(key));
    if (!focusOf(key)) {
      res.color = DIM_NODE;
      res.label = null;
      res.lines = null;
      res.zIndex = 0;
    } else if (highlighted) {
      res.highlighted = true;
      res.zIndex = 2;
      res.forceLabel = key === state.selected || (state.matches !== null && state.matches.size <= 40);
    }
    if (key === state.hovered) res.zIndex = 3;
    return res;
  }

  function edgeReducer(key, attr) {
    var res = Object.assign({}, attr);
    var ends = graph.extremities(key);
    var a = graph.getNodeAttributes(ends[0]);
    var b = graph.getNodeAttributes(ends[1]);
    if ((!a.stub && !state.themeOn[a.theme]) || (!b.stub && !state.themeOn[b.theme])) {
      res.hidden = true;
      return res;
    }
    var lit;
    if (state.selected !== null) lit = ends[0] === state.selected || ends[1] === state.selected;
    else if (state.matches !== null) lit = state.matches.has(ends[0]) && state.matches.has(ends[1]);
    else lit = true;
    if (!lit) {
      res.color = DIM_EDGE;
      res.zIndex = 0;
    } else {
      res.zIndex = 1;
    }
    return res;
  }

  // Labels go under the circle, line by line, where Graphviz put them (offsets from the
  // centre in layout points, scaled like the positions): the page shows the slide.
  function drawLabel(ctx, d) {
    if (!d.lines || !d.lines.length) return;
    var scale = ppp;
    var px = lv.label_points * scale;
    var forced = d.forceLabel || d.highlighted;
    if (px < MIN_LABEL_PX) {
      if (!forced) return;
      px = 12;
      scale = px / lv.label_points;
    }
    // Past 28 px the text stops growing; the lines stay where the layout put them.
    var fontScale = Math.min(px, 28) / lv.label_points;
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    d.lines.forEach(function (line) {
      // Theme-map and stub lines carry their own size: a theme's name (bold) is larger than
      // its count (muted) and its central insight's title.
      var points = line[3] || lv.label_points;
      var size = points * fontScale;
      var count = /^\(.*\)$/.test(line[0]);
      var name = kind === "themes" && points >= lv.label_points - 0.01 && !count;
      ctx.font = (name ? "bold " : "") + size.toFixed(1) + "px " + FONT;
      ctx.fillStyle = d.stub || count ? "#52606D" : "#1F2933";
      ctx.lineWidth = Math.max(2, size / 5);
      var x = d.x + line[1] * scale;
      var y = d.y - line[2] * scale;
      ctx.strokeText(line[0], x, y);
      ctx.fillText(line[0], x, y);
    });
  }

  function drawHover(ctx, d) {
    ctx.beginPath();
    ctx.arc(d.x, d.y, d.size + 3, 0, Math.PI * 2);
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#1F2933";
    ctx.stroke();
    drawLabel(ctx, Object.assign({}, d, { forceLabel: true }));
  }

  // The first level, drawn before sigma starts.
  if (twoLevel) build(data.map, "themes");
  else build(data, "insights");
  var many = nodes.length > 2000;
  renderer = new Sigma(graph, $("graph"), {
    itemSizesReference: "positions",
    zoomToSizeRatioFunction: function (ratio) {
      return ratio;
    },
    nodeReducer: nodeReducer,
    edgeReducer: edgeReducer,
    defaultDrawNodeLabel: drawLabel,
    defaultDrawNodeHover: drawHover,
    labelRenderedSizeThreshold: 0,
    labelDensity: 1000,
    labelGridCellSize: 40,
    zIndex: true,
    minEdgeThickness: 1,
    hideEdgesOnMove: graph.size > 5000,
    hideLabelsOnMove: many,
    minCameraRatio: 0.002,
    maxCameraRatio: 8,
    stagePadding: 24,
    enableEdgeEvents: false
  });

  // Screen pixels per layout point at the current zoom.
  function pixelsPerPoint() {
    var a = renderer.graphToViewport({ x: 0, y: 0 });
    var b = renderer.graphToViewport({ x: 100, y: 0 });
    return Math.abs(b.x - a.x) / 100;
  }
  var lastFloor = -1;
  function updateFloor() {
    ppp = pixelsPerPoint();
    radiusFloor = ppp > 0 ? MIN_RADIUS_PX / ppp : 0;
    if (lastFloor < 0 || Math.abs(radiusFloor - lastFloor) > 0.15 * lastFloor) {
      lastFloor = radiusFloor;
      // Sizes only: the nodes are redrawn in place, the edges are not processed again.
      renderer.refresh({ partialGraph: { nodes: graph.nodes() }, skipIndexation: true });
    }
  }
  renderer.getCamera().on("updated", updateFloor);

  function refresh() {
    renderer.refresh();
  }

  // The camera that shows the whole drawing (circles and labels, data.extent) in the stage,
  // centred: sigma's own reset fits the centres only, and not always the wider side.
  function fitState() {
    var cam = renderer.getCamera();
    var saved = cam.getState();
    cam.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    var e = lv.extent;
    var p0 = renderer.graphToViewport({ x: e[0], y: e[1] });
    var p1 = renderer.graphToViewport({ x: e[2], y: e[3] });
    var dims = renderer.getDimensions();
    var pad = 16;
    var ratio = Math.max(Math.abs(p1.x - p0.x) / Math.max(dims.width - 2 * pad, 1), Math.abs(p1.y - p0.y) / Math.max(dims.height - 2 * pad, 1));
    var centre = renderer.viewportToFramedGraph({ x: (p0.x + p1.x) / 2, y: (p0.y + p1.y) / 2 });
    cam.setState(saved);
    return { x: centre.x, y: centre.y, ratio: Math.max(ratio, 1e-3), angle: 0 };
  }

  // ---- caption, notice and moving between levels ---------------------------------------------
  function showCaption() {
    $("caption").textContent =
      lv.caption +
      (graph.size - stubLinks() < edgeCount
        ? " · the " + (graph.size - stubLinks()).toLocaleString("en") + " heaviest of " + edgeCount.toLocaleString("en") + " edges drawn"
        : "");
  }
  function stubLinks() {
    return stubs.reduce(function (sum, s) {
      return sum + s.links.length;
    }, 0);
  }
  if (data.clipped) {
    var notice = $("notice");
    notice.textContent =
      "This page shows the " +
      data.clipped.toLocaleString("en") +
      " most central insights the filters keep (a page stays fluid up to that many); " +
      "narrow it with --community K, --ego ID or --min-weight W to see the others.";
    notice.hidden = false;
  }

  // Draw `level` in place of the current one, framed whole, with the search run again on it.
  function enter(level, levelKind) {
    state.selected = null;
    state.neighbours = new Set();
    state.hovered = null;
    state.matches = null;
    $("details").hidden = true;
    tooltip.hidden = true;
    build(level, levelKind);
    // Index the new graph whole before the camera moves (a move redraws sizes only).
    renderer.refresh();
    lastFloor = -1;
    renderer.getCamera().setState(fitState());
    updateFloor();
    showCaption();
    $("back").hidden = !(twoLevel && kind === "insights");
    renderThemes();
    runSearch();
    refresh();
    writeHash();
  }
  // Open theme `t` (its place in the legend) of a two-level page; false when the page holds
  // none of its insights.
  function openTheme(t) {
    var level = part(t);
    if (!level) return false;
    if (lv !== level) enter(level, "insights");
    return true;
  }
  function openMap() {
    if (lv !== data.map) enter(data.map, "themes");
  }

  // ---- themes -------------------------------------------------------------------------------
  // A one-level page filters by theme: a click shows only it, the boxes combine themes. A
  // two-level page opens a theme on a click, and marks the one shown.
  function renderThemes() {
    var list = $("theme-list");
    list.textContent = "";
    themes.forEach(function (t, i) {
      var dot = el("span", { class: "dot" });
      dot.style.background = t.colour;
      if (twoLevel) {
        var opens = t.community !== null;
        var current = kind === "insights" && lv.theme === i;
        var name = el("button", { type: "button", class: "theme-name", title: opens ? "Open this theme" : "Not on this page" }, [t.label]);
        if (opens) {
          name.addEventListener("click", function () {
            openTheme(i);
          });
        } else name.disabled = true;
        list.appendChild(
          el("li", { class: current ? "current" : "", "data-theme": String(i) }, [
            dot,
            name,
            el("span", { class: "count", text: (t.members || t.shown).toLocaleString("en") })
          ])
        );
        return;
      }
      var box = el("input", { type: "checkbox", "aria-label": "show " + t.label });
      box.checked = state.themeOn[i];
      box.addEventListener("change", function () {
        state.themeOn[i] = box.checked;
        themesChanged();
      });
      var button = el("button", { type: "button", class: "theme-name", title: "Show only this theme" }, [t.label]);
      button.addEventListener("click", function () {
        var only = state.themeOn.every(function (on, j) {
          return on === (j === i);
        });
        state.themeOn = themes.map(function (_, j) {
          return only || j === i;
        });
        themesChanged();
      });
      list.appendChild(
        el("li", { class: state.themeOn[i] ? "" : "off", "data-theme": String(i) }, [
          box,
          dot,
          button,
          el("span", { class: "count", text: t.shown.toLocaleString("en") })
        ])
      );
    });
    $("all-themes").hidden = twoLevel || state.themeOn.every(Boolean);
    $("theme-hint").textContent = twoLevel
      ? "Click a theme to open its most central insights; the count is its insights in the whole graph."
      : "Click a theme to show only it, again to show all; tick the boxes to combine themes.";
  }
  function themesChanged() {
    if (state.selected !== null && !state.themeOn[graph.getNodeAttribute(state.selected, "theme")]) select(null);
    renderThemes();
    runSearch();
    refresh();
  }
  $("all-themes").addEventListener("click", function () {
    state.themeOn = themes.map(function () {
      return true;
    });
    themesChanged();
  });
  $("back").addEventListener("click", openMap);

  // ---- search -------------------------------------------------------------------------------
  // An insight matches when each word of the query starts a word of its title or text.
  function matchesAll(hay, want) {
    for (var w = 0; w < want.length; w++) if (hay.indexOf(" " + want[w]) < 0) return false;
    return true;
  }
  // Insights of the level shown that match `query`, best first; null for no query.
  function search(query) {
    var want = words(query);
    if (!want.length) return null;
    var hits = [];
    for (var i = 0; i < nodes.length; i++) {
      if (!state.themeOn[nodes[i].theme]) continue;
      if (matchesAll(haystacks[i], want)) hits.push(i);
    }
    hits.sort(function (a, b) {
      return nodes[b].score - nodes[a].score || nodes[a].id - nodes[b].id;
    });
    return hits;
  }
  // On the theme map: the insights of every theme on the page that match, as [theme, index],
  // best first. Each theme's block is parsed the first time a search needs it.
  var partHaystacks = {};
  function searchThemes(query) {
    var want = words(query);
    if (!want.length) return null;
    var hits = [];
    themes.forEach(function (t, k) {
      var level = t.community === null ? null : part(k);
      if (!level) return;
      if (!partHaystacks[k]) partHaystacks[k] = level.nodes.map(haystack);
      partHaystacks[k].forEach(function (hay, i) {
        if (matchesAll(hay, want)) hits.push([k, i]);
      });
    });
    hits.sort(function (a, b) {
      var x = parts[a[0]].nodes[a[1]];
      var y = parts[b[0]].nodes[b[1]];
      return y.score - x.score || x.id - y.id;
    });
    return hits;
  }
  function runSearch() {
    var query = $("search").value;
    var list = $("result-list");
    list.textContent = "";
    var hits = kind === "themes" ? searchThemes(query) : search(query);
    if (hits === null) {
      state.matches = null;
      $("search-count").textContent = "";
      $("results").hidden = true;
      return hits;
    }
    if (kind === "themes") {
      // The map lights the themes holding a match; the list names the insights.
      var lit = new Set();
      hits.forEach(function (h) {
        lit.add(String(h[0]));
      });
      state.matches = lit;
      $("search-count").textContent = hits.length
        ? plural(hits.length, "match", "matches") + " in " + plural(lit.size, "theme", "themes")
        : "no match";
      hits.slice(0, 100).forEach(function (h) {
        var n = parts[h[0]].nodes[h[1]];
        var b = el("button", { type: "button", class: "link", title: n.text.slice(0, 300) }, [titleOf(n)]);
        b.addEventListener("click", function () {
          openTheme(h[0]);
          select(String(byId[n.id]), true);
        });
        list.appendChild(el("li", { "data-id": String(n.id) }, [b, " ", themeChip(h[0])]));
      });
    } else {
      state.matches = new Set(
        hits.map(function (i) {
          return String(i);
        })
      );
      $("search-count").textContent = hits.length ? plural(hits.length, "match", "matches") : "no match";
      hits.slice(0, 100).forEach(function (i) {
        list.appendChild(el("li", { "data-id": String(nodes[i].id) }, [insightLink(i)]));
      });
    }
    if (hits.length > 100) list.appendChild(el("li", { class: "more", text: "and " + (hits.length - 100) + " more" }));
    $("results").hidden = false;
    return hits;
  }
  var searchTimer = null;
  $("search").addEventListener("input", function () {
    // Typing in a large graph waits for a pause; a small one answers at once.
    clearTimeout(searchTimer);
    var go = function () {
      runSearch();
      if (state.matches !== null && state.selected !== null) select(null);
      refresh();
      writeHash();
    };
    if (nodes.length > 2000 || kind === "themes") searchTimer = setTimeout(go, 120);
    else go();
  });

  // ---- details panel ------------------------------------------------------------------------
  function titleOf(n) {
    if (n.title) return n.title;
    var w = n.text.split(/\s+/).slice(0, 8).join(" ");
    return w.length < n.text.length ? w + "…" : w;
  }
  function shortTitle(i) {
    return titleOf(nodes[i]);
  }
  function insightLink(i) {
    var b = el("button", { type: "button", class: "link", title: nodes[i].text.slice(0, 300) }, [shortTitle(i)]);
    b.addEventListener("click", function () {
      select(String(i), true);
    });
    return b;
  }
  function themeChip(t) {
    var dot = el("span", { class: "dot" });
    dot.style.background = themes[t] ? themes[t].colour : OTHER_COLOUR;
    return el("span", { class: "meta" }, [dot, themes[t] ? themes[t].label : "other themes"]);
  }
  function showDetails(i) {
    var n = nodes[i];
    var body = $("details-body");
    body.textContent = "";
    body.appendChild(el("h3", { text: shortTitle(i) }));
    var meta = themeChip(n.theme);
    meta.appendChild(document.createTextNode(" · #" + n.id + " · " + plural(n.n_sources, "source", "sources")));
    body.appendChild(meta);
    body.appendChild(el("p", { class: "text", text: n.text }));

    body.appendChild(el("h4", { text: "Scores (rank among the " + nodes.length.toLocaleString("en") + " shown)" }));
    var table = el("table", { class: "scores" });
    data.measures.forEach(function (m, k) {
      table.appendChild(
        el("tr", { class: m === data.size_by ? "size-by" : "" }, [
          el("td", { text: m }),
          el("td", { class: "num", text: fmt(n.scores[k]) }),
          el("td", { class: "num", text: "#" + ranks[k][i] })
        ])
      );
    });
    body.appendChild(table);

    body.appendChild(el("h4", { text: "Sources (" + n.n_sources + ")" }));
    if (n.sources.length) {
      var sl = el("ul", { class: "sources" });
      n.sources.forEach(function (s) {
        var src = (lv.sources || data.sources)[s];
        sl.appendChild(el("li", {}, [src.title, src.file && src.file !== src.title ? el("span", { class: "file", text: " · " + src.file }) : null]));
      });
      if (n.sources.length < n.n_sources) {
        sl.appendChild(el("li", { class: "weight", text: "and " + (n.n_sources - n.sources.length).toLocaleString("en") + " more: netgraph show " + n.id + " lists them all" }));
      }
      body.appendChild(sl);
    }

    var adj = adjacency[i];
    body.appendChild(el("h4", { text: "Neighbours on the page (" + adj.length + ")" }));
    var nl = el("ol", { class: "neighbours" });
    adj.slice(0, 50).forEach(function (pair) {
      nl.appendChild(el("li", {}, [insightLink(pair[0]), el("span", { class: "weight", text: " · " + plural(pair[1], "source", "sources") + " in common" })]));
    });
    if (adj.length > 50) nl.appendChild(el("li", { class: "weight", text: "and " + (adj.length - 50) + " more" }));
    body.appendChild(nl);
    var links = stubs.filter(function (s) {
      return s.links.some(function (l) {
        return l[0] === i;
      });
    });
    if (links.length) {
      body.appendChild(el("h4", { text: "Links to other themes" }));
      var tl = el("ul", { class: "neighbours" });
      links.forEach(function (s) {
        var w = s.links.find(function (l) {
          return l[0] === i;
        })[1];
        var label = s.theme !== null ? el("button", { type: "button", class: "link" }, ["\u2192 " + s.label]) : el("span", { text: "\u2192 " + s.label });
        if (s.theme !== null) {
          label.addEventListener("click", function () {
            openTheme(s.theme);
          });
        }
        tl.appendChild(el("li", {}, [label, el("span", { class: "weight", text: " · " + plural(w, "source", "sources") + " in common" })]));
      });
      body.appendChild(tl);
    }
    $("details").hidden = false;
    $("panel").scrollTop = 0;
  }

  function select(key, move) {
    state.selected = key;
    state.neighbours = new Set();
    if (key === null) {
      $("details").hidden = true;
    } else {
      var i = Number(key);
      if (!state.themeOn[nodes[i].theme]) {
        state.themeOn[nodes[i].theme] = true;
        renderThemes();
      }
      adjacency[i].forEach(function (pair) {
        state.neighbours.add(String(pair[0]));
      });
      stubs.forEach(function (s, k) {
        if (s.links.some(function (l) {
          return l[0] === i;
        })) state.neighbours.add("s" + k);
      });
      showDetails(i);
      if (move) {
        var d = renderer.getNodeDisplayData(key);
        var cam = renderer.getCamera();
        if (d) cam.animate({ x: d.x, y: d.y, ratio: Math.min(cam.getState().ratio, 0.5) }, { duration: 450 });
      }
    }
    refresh();
    writeHash();
  }
  $("close-details").addEventListener("click", function () {
    select(null);
  });

  // ---- hover: the whole text ----------------------------------------------------------------
  var tooltip = $("tooltip");
  var TOOLTIP_CHARS = 1500;
  function showTooltip(key, x, y) {
    tooltip.textContent = "";
    if (isStub(key)) {
      var s = stubOf(key);
      tooltip.appendChild(el("strong", { text: "\u2192 " + s.label }));
      tooltip.appendChild(el("p", { class: "text", text: plural(s.weight, "link", "links") + " from this theme" + (s.theme !== null ? "; click to open it." : "; not on this page.") }));
    } else if (kind === "themes") {
      var t = nodes[Number(key)];
      tooltip.appendChild(el("strong", { text: t.name }));
      var tm = themeChip(t.theme);
      tm.textContent = "";
      tm.appendChild(document.createTextNode(plural(t.members, "insight", "insights") + (t.community === null ? " in " + plural(t.themes, "smaller theme", "smaller themes") + " and single insights" : "")));
      tooltip.appendChild(tm);
      if (t.central_text) tooltip.appendChild(el("p", { class: "text", text: "Most central: " + (t.central_text.length > TOOLTIP_CHARS ? t.central_text.slice(0, TOOLTIP_CHARS) + "…" : t.central_text) }));
      tooltip.appendChild(el("p", { class: "hint", text: t.community === null ? "Not on this page: render --community K shows one of them." : t.shown < t.members ? "Click to open its " + t.shown.toLocaleString("en") + " most central insights." : "Click to open its insights." }));
    } else {
      var i = Number(key);
      var n = nodes[i];
      tooltip.appendChild(el("strong", { text: shortTitle(i) }));
      var meta = themeChip(n.theme);
      meta.appendChild(document.createTextNode(" · " + data.size_by + " " + fmt(n.score) + " · " + plural(n.n_sources, "source", "sources")));
      tooltip.appendChild(meta);
      var text = n.text.length > TOOLTIP_CHARS ? n.text.slice(0, TOOLTIP_CHARS) + "… (click for the rest)" : n.text;
      tooltip.appendChild(el("p", { class: "text", text: text }));
    }
    tooltip.hidden = false;
    var w = tooltip.offsetWidth;
    var h = tooltip.offsetHeight;
    var left = x + 16 + w > window.innerWidth ? x - 16 - w : x + 16;
    var top = Math.min(Math.max(8, y + 12), window.innerHeight - h - 8);
    tooltip.style.left = Math.max(8, left) + "px";
    tooltip.style.top = top + "px";
  }
  renderer.on("enterNode", function (e) {
    state.hovered = e.node;
    var ev = e.event.original;
    var touch = ev.touches && ev.touches[0];
    var box = $("graph").getBoundingClientRect();
    var x = touch ? touch.clientX : ev.clientX !== undefined ? ev.clientX : box.left + e.event.x;
    var y = touch ? touch.clientY : ev.clientY !== undefined ? ev.clientY : box.top + e.event.y;
    showTooltip(e.node, x, y);
    $("graph").style.cursor = "pointer";
  });
  renderer.on("leaveNode", function () {
    state.hovered = null;
    tooltip.hidden = true;
    $("graph").style.cursor = "";
  });
  renderer.on("clickNode", function (e) {
    tooltip.hidden = true;
    if (isStub(e.node)) {
      var s = stubOf(e.node);
      if (s.theme !== null) openTheme(s.theme);
    } else if (kind === "themes") openTheme(nodes[Number(e.node)].theme);
    else select(e.node === state.selected ? null : e.node, false);
  });
  renderer.on("clickStage", function () {
    if (state.selected !== null) select(null);
  });

  // ---- zoom buttons and keys ----------------------------------------------------------------
  var camera = renderer.getCamera();
  $("zoom-in").addEventListener("click", function () {
    camera.animatedZoom({ duration: 250 });
  });
  $("zoom-out").addEventListener("click", function () {
    camera.animatedUnzoom({ duration: 250 });
  });
  $("zoom-reset").addEventListener("click", function () {
    camera.animate(fitState(), { duration: 300 });
  });
  document.addEventListener("keydown", function (e) {
    var typing = document.activeElement === $("search");
    if (e.key === "/" && !typing) {
      e.preventDefault();
      $("search").focus();
    } else if (e.key === "Escape") {
      if (state.selected !== null) select(null);
      else if (typing || $("search").value) {
        $("search").value = "";
        runSearch();
        refresh();
        writeHash();
        $("search").blur();
      }
    } else if (!typing && (e.key === "+" || e.key === "=")) camera.animatedZoom({ duration: 200 });
    else if (!typing && e.key === "-") camera.animatedUnzoom({ duration: 200 });
    else if (!typing && e.key === "0") camera.animate(fitState(), { duration: 250 });
  });

  // ---- the fragment: shareable state and the self-test --------------------------------------
  function readHash() {
    var out = {};
    location.hash
      .replace(/^#/, "")
      .split("&")
      .forEach(function (part) {
        var at = part.indexOf("=");
        if (at > 0) {
          try {
            out[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1).replace(/\+/g, " "));
          } catch (e) {
            // A malformed fragment is ignored.
          }
        }
      });
    return out;
  }
  var selftesting = false;
  function writeHash() {
    if (selftesting || !history.replaceState) return;
    var parts = [];
    var out = [];
    if ($("search").value.trim()) out.push("q=" + encodeURIComponent($("search").value.trim()));
    if (twoLevel && kind === "insights") out.push("theme=" + themes[lv.theme].community);
    if (state.selected !== null) out.push("node=" + nodes[Number(state.selected)].id);
    history.replaceState(null, "", out.length ? "#" + out.join("&") : location.pathname + location.search);
  }
  // The legend entry of the theme whose block holds insight `id` (two-level pages), or -1.
  function themeHolding(id) {
    for (var k = 0; k < themes.length; k++) {
      var level = themes[k].community === null ? null : part(k);
      if (level && level.nodes.some(function (n) {
        return n.id === id;
      })) return k;
    }
    return -1;
  }

  renderThemes();
  showCaption();
  camera.setState(fitState());
  updateFloor();
  var hash = readHash();
  if (hash.q) $("search").value = hash.q;
  if (twoLevel && hash.theme !== undefined) {
    var wanted = themes.findIndex(function (t) {
      return t.community !== null && String(t.community) === hash.theme;
    });
    if (wanted >= 0) openTheme(wanted);
  }
  if (twoLevel && hash.node !== undefined && byId[hash.node] === undefined) {
    var holder = themeHolding(Number(hash.node));
    if (holder >= 0) openTheme(holder);
  }
  if (hash.q) runSearch();
  if (hash.node !== undefined && byId[hash.node] !== undefined) select(String(byId[hash.node]), false);
  refresh();
  var loadMs = performance.now() - started;

  // Pixels of a WebGL layer that are not transparent. Read right after a synchronous render,
  // before the browser composites (the buffer is not preserved).
  function layerPixels(name) {
    var canvas = renderer.getCanvases()[name];
    var gl = canvas.getContext("webgl2") || canvas.getContext("webgl");
    var px = new Uint8Array(canvas.width * canvas.height * 4);
    gl.readPixels(0, 0, canvas.width, canvas.height, gl.RGBA, gl.UNSIGNED_BYTE, px);
    var count = 0;
    for (var p = 3; p < px.length; p += 4) if (px[p] > 0) count++;
    return count;
  }
  // The colour drawn at node `key`'s centre on the nodes layer, as #rrggbb.
  function colourAt(key) {
    var canvas = renderer.getCanvases().nodes;
    var gl = canvas.getContext("webgl2") || canvas.getContext("webgl");
    var ratio = canvas.width / canvas.clientWidth;
    var v = renderer.framedGraphToViewport(renderer.getNodeDisplayData(key));
    var px = new Uint8Array(4);
    gl.readPixels(Math.round(v.x * ratio), Math.round(canvas.height - v.y * ratio), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    return "#" + [px[0], px[1], px[2]].map(function (c) {
      return (c < 16 ? "0" : "") + c.toString(16);
    }).join("").toUpperCase();
  }

  // Keys of the nodes drawn highlighted (insights, not stubs).
  function highlightedKeys() {
    return graph.nodes().filter(function (k) {
      var d = renderer.getNodeDisplayData(k);
      return d && d.highlighted && !isStub(k);
    });
  }

  // The self-test of an insight level: what the search lit, the colours drawn, a panel.
  function selftestInsights(out) {
    var matched = Array.from(state.matches || []);
    out.matches = matched.map(function (k) {
      return nodes[Number(k)].id;
    });
    out.highlighted = highlightedKeys().map(function (k) {
      return nodes[Number(k)].id;
    });
    // Colours drawn at the first match and at the first insight that is not one.
    out.probes = [];
    var other = graph.nodes().find(function (k) {
      return !(state.matches && state.matches.has(k));
    });
    [matched[0], other].forEach(function (k) {
      if (k === undefined) return;
      out.probes.push({ id: nodes[Number(k)].id, matched: !!(state.matches && state.matches.has(k)), theme_colour: themes[nodes[Number(k)].theme].colour.toUpperCase(), drawn: colourAt(k) });
    });

    // Opening a panel: a click on the first match, then closing it.
    if (matched.length) {
      var t0 = performance.now();
      select(matched[0], false);
      out.select_ms = Math.round(performance.now() - t0);
      select(null);
    }

  }

  // The self-test of the theme map: the themes the search lit, then the first match opened
  // from the result list as a person would (its theme drawn, the insight lit), then back.
  function selftestThemes(out, hits) {
    out.matches = hits.map(function (h) {
      return parts[h[0]].nodes[h[1]].id;
    });
    out.lit_themes = Array.from(state.matches || []).map(function (k) {
      return nodes[Number(k)].community;
    });
    out.highlighted = highlightedKeys().map(function (k) {
      return nodes[Number(k)].community;
    });
    out.probes = [];
    var lit = graph.nodes().find(function (k) {
      return state.matches && state.matches.has(k);
    });
    var unlit = graph.nodes().find(function (k) {
      return !(state.matches && state.matches.has(k));
    });
    [lit, unlit].forEach(function (k) {
      if (k === undefined) return;
      out.probes.push({ community: nodes[Number(k)].community, matched: !!(state.matches && state.matches.has(k)), theme_colour: graph.getNodeAttribute(k, "color").toUpperCase(), drawn: colourAt(k) });
    });
    var first = document.querySelector("#result-list li[data-id] button");
    if (first) {
      var t0 = performance.now();
      first.click();
      out.open_ms = Math.round(performance.now() - t0);
      refresh();
      out.opened = {
        level: kind,
        community: themes[lv.theme].community,
        insights: nodes.length,
        stubs: stubs.length,
        drawn: graph.order,
        node_pixels: layerPixels("nodes"),
        selected: state.selected === null ? null : nodes[Number(state.selected)].id,
        details: !$("details").hidden,
        sources_listed: document.querySelectorAll("#details-body .sources li").length,
        back_visible: !$("back").hidden,
        search_count: $("search-count").textContent,
        highlighted: highlightedKeys().map(function (k) {
          return nodes[Number(k)].id;
        }),
        caption: $("caption").textContent
      };
      $("back").click();
      refresh();
      out.back = { level: kind, nodes: graph.order, back_visible: !$("back").hidden };
    }
  }

  function selftest(query) {
    selftesting = true;
    var out = {
      nodes: graph.order,
      edges: graph.size,
      all_edges: edgeCount,
      level: kind,
      data_nodes: nodes.length,
      data_edges: edgeCount,
      load_ms: Math.round(loadMs),
      viewport: [$("graph").clientWidth, $("graph").clientHeight]
    };
    refresh();
    out.node_pixels = layerPixels("nodes");
    out.edge_pixels = layerPixels("edges");
    out.labels = renderer.getNodeDisplayedLabels().size;

    // Type the words as a person would: the input event runs the search.
    var box = $("search");
    box.focus();
    var t0 = performance.now();
    box.value = query;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    clearTimeout(searchTimer);
    var hits = runSearch();
    refresh();
    out.search_ms = Math.round(performance.now() - t0);
    out.query = query;
    out.result_items = document.querySelectorAll("#result-list li[data-id]").length;
    out.search_count = $("search-count").textContent;
    out.dim_colour = DIM_NODE;
    if (kind === "themes") selftestThemes(out, hits || []);
    else selftestInsights(out);
    // Frame times, in ms: redraws after camera moves, as panning (with and without sigma's
    // "moving" state, where large graphs leave edges out) and zooming cause.
    var cam = renderer.getCamera();
    var captor = renderer.getMouseCaptor();
    var state0 = cam.getState();
    var draw = typeof renderer.render === "function" ? function () {
      renderer.render();
    } : refresh;
    // Wait for the GPU (or SwiftShader) to finish drawing, so the time is the whole frame's.
    function finish() {
      ["edges", "nodes"].forEach(function (layer) {
        var canvas = renderer.getCanvases()[layer];
        var gl = canvas && (canvas.getContext("webgl2") || canvas.getContext("webgl"));
        if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      });
    }
    function frames(move, moving) {
      var n = 8;
      captor.isMoving = moving;
      var start = performance.now();
      for (var f = 1; f <= n; f++) {
        move(f);
        draw();
        finish();
      }
      captor.isMoving = false;
      cam.setState(state0);
      return Math.round(((performance.now() - start) / n) * 10) / 10;
    }
    out.pan_ms = frames(function (f) {
      cam.setState({ x: state0.x + 0.01 * f, y: state0.y, ratio: state0.ratio, angle: 0 });
    }, false);
    out.drag_ms = frames(function (f) {
      cam.setState({ x: state0.x + 0.01 * f, y: state0.y, ratio: state0.ratio, angle: 0 });
    }, true);
    out.zoom_ms = frames(function (f) {
      cam.setState({ x: state0.x, y: state0.y, ratio: state0.ratio * Math.pow(0.8, f), angle: 0 });
    }, false);
    refresh();
    out.errors = errors;
    var pre = el("pre", { id: "selftest-result", text: JSON.stringify(out) });
    pre.hidden = true;
    document.body.appendChild(pre);
    selftesting = false;
  }
  if (hash.selftest !== undefined) selftest(hash.selftest);
})();
