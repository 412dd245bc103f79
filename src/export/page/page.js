// netgraph's interactive page: draws the insights where Graphviz placed them (the layout of the
// pictures), with sigma.js (WebGL) over a graphology graph. Everything it shows comes from the
// JSON block #netgraph-data that `netgraph render -o FILE.html` wrote; it loads nothing.
//
// Fragment (URL after #), all optional, joined by &:
//   q=WORDS       search for WORDS on load
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

  // ---- the graph ----------------------------------------------------------------------------
  var nodes = data.nodes;
  var themes = data.themes;
  var maxW = 0;
  var minW = Infinity;
  data.edges.forEach(function (e) {
    maxW = Math.max(maxW, e[2]);
    minW = Math.min(minW, e[2]);
  });
  var graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  nodes.forEach(function (n, i) {
    graph.addNode(String(i), {
      x: n.x,
      y: n.y,
      r: n.r,
      size: n.r,
      color: themes[n.theme].colour,
      label: n.title || (n.label.length ? n.label.join(" ") : null),
      lines: n.label,
      theme: n.theme,
      zIndex: 1
    });
  });
  // Neighbours of each node, heaviest edge first (the panel's list).
  var adjacency = nodes.map(function () {
    return [];
  });
  var drawn = data.edges.map(function (_, k) {
    return k;
  });
  if (drawn.length > MAX_DRAWN_EDGES) {
    drawn.sort(function (x, y) {
      return data.edges[y][2] - data.edges[x][2] || x - y;
    });
    drawn = drawn.slice(0, MAX_DRAWN_EDGES);
  }
  var isDrawn = new Uint8Array(data.edges.length);
  drawn.forEach(function (k) {
    isDrawn[k] = 1;
  });
  data.edges.forEach(function (e, k) {
    var a = e[0];
    var b = e[1];
    var w = e[2];
    adjacency[a].push([b, w]);
    adjacency[b].push([a, w]);
    if (!isDrawn[k]) return;
    var t = maxW > minW ? (w - minW) / (maxW - minW) : 0;
    var same = nodes[a].theme === nodes[b].theme && themes[nodes[a].theme].colour !== OTHER_COLOUR;
    graph.addEdgeWithKey(a + "-" + b, String(a), String(b), {
      size: MIN_PEN + Math.sqrt(t) * (MAX_PEN - MIN_PEN),
      color: same ? overWhite(themes[nodes[a].theme].colour, 0x73) : EDGE_ACROSS,
      weight: w
    });
  });
  adjacency.forEach(function (list) {
    list.sort(function (x, y) {
      return y[1] - x[1] || nodes[y[0]].score - nodes[x[0]].score || nodes[x[0]].id - nodes[y[0]].id;
    });
  });
  var byId = {};
  nodes.forEach(function (n, i) {
    byId[n.id] = i;
  });

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
    if (!state.themeOn[attr.theme]) {
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
    var a = graph.getNodeAttribute(ends[0], "theme");
    var b = graph.getNodeAttribute(ends[1], "theme");
    if (!state.themeOn[a] || !state.themeOn[b]) {
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
    var px = data.label_points * scale;
    var forced = d.forceLabel || d.highlighted;
    if (px < MIN_LABEL_PX) {
      if (!forced) return;
      px = 12;
      scale = px / data.label_points;
    }
    px = Math.min(px, 28);
    ctx.font = px.toFixed(1) + "px " + FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    ctx.lineJoin = "round";
    ctx.lineWidth = Math.max(2, px / 5);
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.fillStyle = "#1F2933";
    d.lines.forEach(function (line) {
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
    var e = data.extent;
    var p0 = renderer.graphToViewport({ x: e[0], y: e[1] });
    var p1 = renderer.graphToViewport({ x: e[2], y: e[3] });
    var dims = renderer.getDimensions();
    var pad = 16;
    var ratio = Math.max(Math.abs(p1.x - p0.x) / Math.max(dims.width - 2 * pad, 1), Math.abs(p1.y - p0.y) / Math.max(dims.height - 2 * pad, 1));
    var centre = renderer.viewportToFramedGraph({ x: (p0.x + p1.x) / 2, y: (p0.y + p1.y) / 2 });
    cam.setState(saved);
    return { x: centre.x, y: centre.y, ratio: Math.max(ratio, 1e-3), angle: 0 };
  }

  // ---- caption and notice -------------------------------------------------------------------
  $("caption").textContent =
    data.caption +
    (graph.size < data.edges.length
      ? " · the " + graph.size.toLocaleString("en") + " heaviest of " + data.edges.length.toLocaleString("en") + " edges drawn"
      : "");
  if (data.clipped) {
    var notice = $("notice");
    notice.textContent =
      "This page shows the " +
      data.clipped.toLocaleString("en") +
      " most central insights the filters keep (a page stays fluid up to that many); " +
      "narrow it with --community K, --ego ID or --min-weight W to see the others.";
    notice.hidden = false;
  }

  // ---- themes -------------------------------------------------------------------------------
  function renderThemes() {
    var list = $("theme-list");
    list.textContent = "";
    themes.forEach(function (t, i) {
      var box = el("input", { type: "checkbox", "aria-label": "show " + t.label });
      box.checked = state.themeOn[i];
      box.addEventListener("change", function () {
        state.themeOn[i] = box.checked;
        themesChanged();
      });
      var name = el("button", { type: "button", class: "theme-name", title: "Show only this theme" }, [t.label]);
      name.addEventListener("click", function () {
        var only = state.themeOn.every(function (on, j) {
          return on === (j === i);
        });
        state.themeOn = themes.map(function (_, j) {
          return only || j === i;
        });
        themesChanged();
      });
      var dot = el("span", { class: "dot" });
      dot.style.background = t.colour;
      list.appendChild(
        el("li", { class: state.themeOn[i] ? "" : "off", "data-theme": String(i) }, [
          box,
          dot,
          name,
          el("span", { class: "count", text: t.shown.toLocaleString("en") })
        ])
      );
    });
    $("all-themes").hidden = state.themeOn.every(Boolean);
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

  // ---- search -------------------------------------------------------------------------------
  // Words are letters and digits (any script), compared without case or accents; an insight
  // matches when each word of the query starts a word of its title or text.
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var WORD = /[\p{L}\p{N}]+/gu;
  function words(s) {
    return fold(s).match(WORD) || [];
  }
  var haystacks = nodes.map(function (n) {
    return " " + words(n.title + " " + n.text).join(" ");
  });
  function search(query) {
    var want = words(query);
    if (!want.length) return null;
    var hits = [];
    for (var i = 0; i < nodes.length; i++) {
      if (!state.themeOn[nodes[i].theme]) continue;
      var hay = haystacks[i];
      var all = true;
      for (var w = 0; w < want.length && all; w++) all = hay.indexOf(" " + want[w]) >= 0;
      if (all) hits.push(i);
    }
    hits.sort(function (a, b) {
      return nodes[b].score - nodes[a].score || nodes[a].id - nodes[b].id;
    });
    return hits;
  }
  function runSearch() {
    var query = $("search").value;
    var hits = search(query);
    var list = $("result-list");
    list.textContent = "";
    if (hits === null) {
      state.matches = null;
      $("search-count").textContent = "";
      $("results").hidden = true;
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
      if (hits.length > 100) list.appendChild(el("li", { class: "more", text: "and " + (hits.length - 100) + " more" }));
      $("results").hidden = false;
    }
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
    if (nodes.length > 2000) searchTimer = setTimeout(go, 120);
    else go();
  });

  // ---- details panel ------------------------------------------------------------------------
  function shortTitle(i) {
    var n = nodes[i];
    if (n.title) return n.title;
    var w = n.text.split(/\s+/).slice(0, 8).join(" ");
    return w.length < n.text.length ? w + "…" : w;
  }
  function insightLink(i) {
    var b = el("button", { type: "button", class: "link", title: nodes[i].text.slice(0, 300) }, [shortTitle(i)]);
    b.addEventListener("click", function () {
      select(String(i), true);
    });
    return b;
  }
  // Ranks of every insight in every measure (1 = highest), for the panel.
  var ranks = data.measures.map(function (_, m) {
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
  function themeChip(t) {
    var dot = el("span", { class: "dot" });
    dot.style.background = themes[t].colour;
    return el("span", { class: "meta" }, [dot, themes[t].label]);
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
        var src = data.sources[s];
        sl.appendChild(el("li", {}, [src.title, src.file && src.file !== src.title ? el("span", { class: "file", text: " · " + src.file }) : null]));
      });
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
  function showTooltip(i, x, y) {
    var n = nodes[i];
    tooltip.textContent = "";
    tooltip.appendChild(el("strong", { text: shortTitle(i) }));
    var meta = themeChip(n.theme);
    meta.appendChild(document.createTextNode(" · " + data.size_by + " " + fmt(n.score) + " · " + plural(n.n_sources, "source", "sources")));
    tooltip.appendChild(meta);
    var text = n.text.length > TOOLTIP_CHARS ? n.text.slice(0, TOOLTIP_CHARS) + "… (click for the rest)" : n.text;
    tooltip.appendChild(el("p", { class: "text", text: text }));
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
    showTooltip(Number(e.node), x, y);
    $("graph").style.cursor = "pointer";
  });
  renderer.on("leaveNode", function () {
    state.hovered = null;
    tooltip.hidden = true;
    $("graph").style.cursor = "";
  });
  renderer.on("clickNode", function (e) {
    tooltip.hidden = true;
    select(e.node === state.selected ? null : e.node, false);
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
    if ($("search").value.trim()) parts.push("q=" + encodeURIComponent($("search").value.trim()));
    if (state.selected !== null) parts.push("node=" + nodes[Number(state.selected)].id);
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
  }

  renderThemes();
  camera.setState(fitState());
  updateFloor();
  var hash = readHash();
  if (hash.q) {
    $("search").value = hash.q;
    runSearch();
  }
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

  function selftest(query) {
    selftesting = true;
    var out = {
      nodes: graph.order,
      edges: graph.size,
      all_edges: data.edges.length,
      data_nodes: nodes.length,
      data_edges: data.edges.length,
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
    runSearch();
    refresh();
    out.search_ms = Math.round(performance.now() - t0);
    var matched = Array.from(state.matches || []);
    out.query = query;
    out.matches = matched.map(function (k) {
      return nodes[Number(k)].id;
    });
    out.highlighted = graph.nodes().filter(function (k) {
      var d = renderer.getNodeDisplayData(k);
      return d && d.highlighted;
    }).map(function (k) {
      return nodes[Number(k)].id;
    });
    out.result_items = document.querySelectorAll("#result-list li[data-id]").length;
    out.search_count = $("search-count").textContent;
    // Colours drawn at the first match and at the first insight that is not one.
    out.probes = [];
    var other = graph.nodes().find(function (k) {
      return !(state.matches && state.matches.has(k));
    });
    [matched[0], other].forEach(function (k) {
      if (k === undefined) return;
      out.probes.push({ id: nodes[Number(k)].id, matched: !!(state.matches && state.matches.has(k)), theme_colour: themes[nodes[Number(k)].theme].colour.toUpperCase(), drawn: colourAt(k) });
    });
    out.dim_colour = DIM_NODE;

    // Opening a panel: a click on the first match, then closing it.
    if (matched.length) {
      t0 = performance.now();
      select(matched[0], false);
      out.select_ms = Math.round(performance.now() - t0);
      select(null);
    }

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
