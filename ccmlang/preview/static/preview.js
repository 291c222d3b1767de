// The ccm preview page (ccmlang/preview/server.py serves it; preview/README.md explains it).
//
// It long-polls /_ccm/wait for the server's epoch to move, then updates only what changed:
// the HTML view (double-buffered iframes, so there is no flicker and the scroll position is
// kept), the PDF pages (preloaded, then swapped), the error overlay (shown above the last good
// render, cleared when the build succeeds) and the warnings. View mode, zoom, data choice and
// scroll positions live in localStorage, so they survive reloads. Every text from the server is
// written with textContent: diagnostics and source lines are never parsed as markup.
(function () {
  "use strict";

  var ZOOMS = [0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 3];
  var PX_PER_PT = 96 / 72;

  var $ = function (id) { return document.getElementById(id); };
  var views = $("views");
  var frames = Array.prototype.slice.call(document.querySelectorAll(".doc-frame"));
  var pagesBox = $("pages");
  var thumbs = $("thumbs");

  var params = new URLSearchParams(window.location.search);
  var choice = params.get("choice") || localStorage.getItem("ccm-preview:last-choice") || "";
  var epoch = -1;
  var instance = "";
  var shownHtml = null;
  var loadingHtml = null;
  var shownPdf = null;
  var loadingPdf = null;
  var pageSizes = [];
  var dismissed = null;
  var poll = null;
  var prefs = { mode: "split", zoom: 1, fit: true, htmlScroll: [0, 0], pdfScroll: 0 };
  var storageKey = null;
  var restoredScroll = false;

  // ---------------------------------------------------------------- preferences

  function loadPrefs(template) {
    storageKey = "ccm-preview:" + template;
    try {
      var saved = JSON.parse(localStorage.getItem(storageKey) || "{}");
      for (var k in saved) { if (Object.prototype.hasOwnProperty.call(prefs, k)) { prefs[k] = saved[k]; } }
      if (!params.get("choice") && typeof saved.choice === "string") { return saved.choice; }
    } catch (e) { /* a corrupt entry is replaced below */ }
    return null;
  }

  function savePrefs() {
    if (!storageKey) { return; }
    var data = Object.assign({}, prefs, { choice: choice });
    try {
      localStorage.setItem(storageKey, JSON.stringify(data));
      localStorage.setItem("ccm-preview:last-choice", choice);
    } catch (e) { /* private mode: preferences just do not persist */ }
  }

  // ---------------------------------------------------------------- view mode and zoom

  function setMode(mode) {
    prefs.mode = mode;
    views.className = "mode-" + mode;
    document.querySelectorAll("#bar .modes button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    });
    sizePages();
    savePrefs();
  }

  // "Fit" sizes the PDF pages to the pane's width; the zoom steps apply to both views.
  function setZoom(zoom, fit) {
    prefs.zoom = zoom;
    prefs.fit = !!fit;
    $("zoom-fit").setAttribute("aria-pressed", String(prefs.fit));
    frames.forEach(zoomFrame);
    sizePages();
    savePrefs();
  }

  function stepZoom(direction) {
    var current = prefs.fit ? pageZoom() : prefs.zoom;
    var i = 0;
    while (i < ZOOMS.length - 1 && ZOOMS[i] < current - 1e-6) { i++; }
    if (direction < 0 && i > 0 && ZOOMS[i] > current + 1e-6) { i--; } else { i += direction; }
    setZoom(ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, i))], false);
  }

  function pageZoom() {
    if (!prefs.fit) { return prefs.zoom; }
    var widest = Math.max.apply(null, pageSizes.map(function (s) { return s.width; }).concat([1]));
    var room = pagesBox.clientWidth - 34;
    return room > 50 && pageSizes.length ? Math.min(room / (widest * PX_PER_PT), 3) : 1;
  }

  function zoomFrame(frame) {
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) { doc.documentElement.style.zoom = String(prefs.zoom); }
    } catch (e) { /* not loaded yet */ }
  }

  // ---------------------------------------------------------------- the HTML view

  function activeFrame() { return frames.filter(function (f) { return f.classList.contains("active"); })[0]; }

  function frameScroll(frame) {
    try { return [frame.contentWindow.scrollX, frame.contentWindow.scrollY]; } catch (e) { return [0, 0]; }
  }

  function loadHtml(version) {
    if (version === shownHtml || version === loadingHtml) { return; }
    loadingHtml = version;
    var current = activeFrame();
    var spare = frames.filter(function (f) { return f !== current; })[0];
    var scroll = restoredScroll ? frameScroll(current) : prefs.htmlScroll;
    spare.onload = function () {
      if (loadingHtml !== version) { return; }
      zoomFrame(spare);
      try { spare.contentWindow.scrollTo(scroll[0], scroll[1]); } catch (e) { /* empty page */ }
      spare.classList.add("active");
      spare.title = "HTML view";
      current.classList.remove("active");
      current.title = "HTML view (loading)";
      spare.dataset.version = String(version);
      shownHtml = version;
      loadingHtml = null;
      restoredScroll = true;
      watchFrameScroll(spare);
    };
    spare.src = "/_ccm/html?choice=" + encodeURIComponent(choice) + "&v=" + version;
  }

  function watchFrameScroll(frame) {
    var pending = false;
    try {
      frame.contentWindow.addEventListener("scroll", function () {
        if (pending) { return; }
        pending = true;
        window.setTimeout(function () {
          pending = false;
          if (frame.classList.contains("active")) { prefs.htmlScroll = frameScroll(frame); savePrefs(); }
        }, 200);
      });
    } catch (e) { /* cross-origin cannot happen: same server */ }
  }

  // ---------------------------------------------------------------- the PDF view

  function pageUrl(n, version) {
    return "/_ccm/page?choice=" + encodeURIComponent(choice) + "&n=" + n + "&v=" + version;
  }

  function preload(url) {
    return new Promise(function (resolve) {
      var img = new Image();
      img.onload = img.onerror = function () { resolve(url); };
      img.src = url;
    });
  }

  function loadPages(state) {
    var version = state.pdf_version;
    if (!version || version === shownPdf || version === loadingPdf) { return; }
    loadingPdf = version;
    var sizes = state.pages;
    var urls = sizes.map(function (_, i) { return pageUrl(i + 1, version); });
    Promise.all(urls.map(preload)).then(function () {
      if (loadingPdf !== version) { return; }
      loadingPdf = null;
      shownPdf = version;
      pageSizes = sizes;
      var empty = $("pdf-empty");
      if (empty) { empty.remove(); }
      syncChildren(pagesBox, "img", urls.length, function (img, i) {
        img.src = urls[i];
        img.alt = "Page " + (i + 1);
        img.id = "page-" + (i + 1);
        img.dataset.version = String(version);
      });
      syncChildren(thumbs, "button", urls.length, function (button, i) {
        var img = button.querySelector("img") || button.appendChild(document.createElement("img"));
        var label = button.querySelector("span") || button.appendChild(document.createElement("span"));
        img.src = urls[i];
        img.alt = "";
        label.textContent = String(i + 1);
        button.type = "button";
        button.title = "Page " + (i + 1);
        button.onclick = function () {
          var page = $("page-" + (i + 1));
          if (page) { page.scrollIntoView({ block: "start" }); }
        };
      });
      sizePages();
      if (!restoredPdfScroll) { pagesBox.scrollTop = prefs.pdfScroll; restoredPdfScroll = true; }
    });
  }
  var restoredPdfScroll = false;

  function syncChildren(parent, tag, count, update) {
    var items = Array.prototype.filter.call(parent.children, function (c) { return c.tagName === tag.toUpperCase(); });
    for (var i = items.length; i < count; i++) { items.push(parent.appendChild(document.createElement(tag))); }
    for (var j = count; j < items.length; j++) { items[j].remove(); }
    for (var k = 0; k < count; k++) { update(items[k], k); }
  }

  function sizePages() {
    var zoom = pageZoom();
    $("zoom-value").textContent = Math.round((prefs.fit ? zoom : prefs.zoom) * 100) + "%";
    Array.prototype.forEach.call(pagesBox.querySelectorAll("img"), function (img, i) {
      var size = pageSizes[i];
      if (!size) { return; }
      img.style.width = Math.round(size.width * PX_PER_PT * zoom) + "px";
      img.style.height = Math.round(size.height * PX_PER_PT * zoom) + "px";
    });
  }

  // ---------------------------------------------------------------- problems and warnings

  function problemNode(problem) {
    var box = document.createElement("div");
    box.className = "problem";
    var head = box.appendChild(document.createElement("div"));
    head.className = "problem-head";
    var code = head.appendChild(document.createElement("span"));
    code.className = "code";
    code.textContent = problem.severity + "[" + problem.code + "]";
    head.appendChild(document.createTextNode(" " + problem.message));
    if (problem.file) {
      var where = head.appendChild(document.createElement("span"));
      where.className = "where";
      where.textContent = problem.file + ":" + problem.line + ":" + problem.column;
    }
    var pre = box.appendChild(document.createElement("pre"));
    pre.textContent = problem.text;
    return box;
  }

  var STAGES = {
    compile: "the template does not compile",
    data: "the sample data does not fit the template",
    render: "the document cannot be rendered",
    html: "the HTML cannot be produced",
    pdf: "the PDF cannot be produced",
    pages: "the PDF pages cannot be drawn",
    internal: "the preview hit an internal error",
    build: "the preview hit an internal error"
  };

  function showProblems(problems) {
    var errors = problems.filter(function (p) { return p.severity === "error"; });
    var overlay = $("overlay");
    if (!errors.length) { overlay.hidden = true; dismissed = null; return; }
    var key = JSON.stringify(errors.map(function (p) { return [p.code, p.file, p.line, p.column, p.message]; }));
    if (key === dismissed) { return; }
    var title = errors.length === 1 ? "1 error" : errors.length + " errors";
    $("overlay-title").textContent = title + ": " + (STAGES[errors[0].stage] || "the preview is out of date");
    var body = $("overlay-body");
    body.replaceChildren.apply(body, errors.map(problemNode));
    overlay.dataset.key = key;
    overlay.hidden = false;
  }

  function showWarnings(warnings) {
    var button = $("warnings-button");
    button.hidden = !warnings.length;
    button.textContent = warnings.length === 1 ? "1 warning" : warnings.length + " warnings";
    var body = $("warnings-body");
    body.replaceChildren.apply(body, warnings.map(problemNode));
    if (!warnings.length) { $("warnings-panel").hidden = true; }
  }

  function ms(seconds) { return Math.round(seconds * 1000) + " ms"; }

  function showStatus(state) {
    var status = $("status");
    var t = state.timings || {};
    var parts = [];
    if (t.html !== undefined) { parts.push("HTML " + ms((t.compile || 0) + (t.tree || 0) + t.html)); }
    if (state.pdf_pending) {
      parts.push("PDF updating…");
    } else if (t.pdf === 0) {
      parts.push("PDF unchanged");
    } else if (t.pdf !== undefined) {
      parts.push("PDF " + ms(t.pdf + (t.pages || 0)));
    }
    var errors = state.problems.filter(function (p) { return p.severity === "error"; }).length;
    if (errors) { parts.unshift(errors === 1 ? "1 error" : errors + " errors"); }
    if (!state.built) { parts = ["building…"]; }
    status.textContent = parts.join(" · ");
    status.className = (errors ? "error" : "") + (state.building ? " building" : "");
  }

  // ---------------------------------------------------------------- data choices

  function showChoices(choices, current) {
    var select = $("choice");
    var same = select.options.length === choices.length && choices.every(function (c, i) {
      return select.options[i].value === c.id && select.options[i].textContent === c.label;
    });
    if (!same) {
      select.replaceChildren.apply(select, choices.map(function (c) {
        var option = document.createElement("option");
        option.value = c.id;
        option.textContent = c.label;
        return option;
      }));
    }
    select.value = current;
    select.disabled = choices.length < 2;
  }

  function choose(id) {
    if (id === choice) { return; }
    choice = id;
    shownHtml = shownPdf = loadingHtml = loadingPdf = null;
    var url = new URL(window.location.href);
    url.searchParams.set("choice", id);
    window.history.replaceState(null, "", url.toString());
    $("pdf-link").href = "/_ccm/pdf?choice=" + encodeURIComponent(id);
    savePrefs();
    epoch = -1;
    if (poll) { poll.abort(); }
  }

  // ---------------------------------------------------------------- click to source

  function showSource(src) {
    var match = /^(.*):(\d+):(\d+)$/.exec(src || "");
    if (!match) { return; }
    var file = match[1], line = Number(match[2]), column = Number(match[3]);
    $("source-where").textContent = file + ":" + line + ":" + column;
    $("source-text").textContent = "";
    $("source-bar").hidden = false;
    fetch("/_ccm/source?file=" + encodeURIComponent(file) + "&line=" + line, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { $("source-text").textContent = "(source not available)"; return; }
        var width = String(data.lines[data.lines.length - 1].line).length;
        var out = [];
        data.lines.forEach(function (l) {
          var number = String(l.line);
          while (number.length < width) { number = " " + number; }
          out.push((l.line === line ? "> " : "  ") + number + " | " + l.text);
          if (l.line === line) {
            out.push("  " + " ".repeat(width) + " | " + " ".repeat(Math.max(0, column - 1)) + "^");
          }
        });
        $("source-text").textContent = out.join("\n");
      });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin) { return; }
    var active = activeFrame();
    if (!active || event.source !== active.contentWindow) { return; }
    if (event.data && event.data.type === "ccm-source") { showSource(event.data.src); }
  });

  // ---------------------------------------------------------------- polling

  function apply(state) {
    if (state.instance !== instance) {
      instance = state.instance;
      shownHtml = shownPdf = loadingHtml = loadingPdf = null;
    }
    if (storageKey === null) {
      var saved = loadPrefs(state.template);
      setMode(prefs.mode);
      setZoom(prefs.zoom, prefs.fit);
      if (saved && saved !== state.choice && state.choices.some(function (c) { return c.id === saved; })) {
        choose(saved);
        return;
      }
    }
    epoch = state.epoch;
    if (state.choice !== choice) { choice = state.choice; savePrefs(); }
    document.title = "ccm preview · " + state.template;
    $("template-name").textContent = state.template;
    $("pdf-link").href = "/_ccm/pdf?choice=" + encodeURIComponent(choice);
    showChoices(state.choices, state.choice);
    if (state.html_version) { loadHtml(state.html_version); }
    pagesBox.classList.toggle("pending", !!state.pdf_pending);
    if (state.pdf_version) { loadPages(state); }
    showProblems(state.problems);
    showWarnings(state.warnings);
    showStatus(state);
  }

  function sleep(ms) { return new Promise(function (r) { window.setTimeout(r, ms); }); }

  async function pollLoop() {
    var failures = 0;
    for (;;) {
      var controller = new AbortController();
      poll = controller;
      var url = "/_ccm/wait?epoch=" + epoch + "&instance=" + encodeURIComponent(instance) +
        "&choice=" + encodeURIComponent(choice);
      try {
        var response = await fetch(url, { signal: controller.signal, cache: "no-store" });
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        apply(await response.json());
        failures = 0;
      } catch (error) {
        if (controller.signal.aborted) { continue; }
        failures += 1;
        var status = $("status");
        status.textContent = "preview server not reachable, retrying…";
        status.className = "error";
        await sleep(Math.min(5000, 300 * failures));
      }
    }
  }

  // ---------------------------------------------------------------- wiring

  document.querySelectorAll("#bar .modes button").forEach(function (b) {
    b.addEventListener("click", function () { setMode(b.dataset.mode); });
  });
  $("zoom-in").addEventListener("click", function () { stepZoom(1); });
  $("zoom-out").addEventListener("click", function () { stepZoom(-1); });
  $("zoom-fit").addEventListener("click", function () { setZoom(prefs.zoom, !prefs.fit); });
  window.addEventListener("resize", sizePages);
  $("choice").addEventListener("change", function (e) { choose(e.target.value); });
  $("overlay-hide").addEventListener("click", function () {
    dismissed = $("overlay").dataset.key || null;
    $("overlay").hidden = true;
  });
  $("warnings-button").addEventListener("click", function () {
    $("warnings-panel").hidden = !$("warnings-panel").hidden;
  });
  $("warnings-close").addEventListener("click", function () { $("warnings-panel").hidden = true; });
  $("source-close").addEventListener("click", function () { $("source-bar").hidden = true; });
  var pdfScrollPending = false;
  pagesBox.addEventListener("scroll", function () {
    if (pdfScrollPending || !restoredPdfScroll) { return; }
    pdfScrollPending = true;
    window.setTimeout(function () { pdfScrollPending = false; prefs.pdfScroll = pagesBox.scrollTop; savePrefs(); }, 200);
  });
  setMode(prefs.mode);
  pollLoop();
})();
