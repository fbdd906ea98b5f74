/* uaap report: renders the tables and the clip viewer from the JSON embedded in the page.
   Plain ES2017, no libraries, works when the page is opened from the file system. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("uaap-data").textContent);
  const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const TYPE_COLORS = { speech: "#1f77b4", vocal_burst: "#e377c2", sound_event: "#2ca02c", music: "#ff7f0e" };
  const LABELS = { reward: "Reward", iou_cos: "IoU×cos", iou: "IoU", f1: "F1", recall: "Recall", wer: "WER",
    how_cos: "how (cos)", snd_cos: "snd (cos)", spk_acc: "spkAcc", halluc: "halluc", pred_per_clip: "#pred/clip",
    true_per_clip: "#true/clip" };
  const LOWER_BETTER = new Set(["wer", "halluc"]);
  const SVG_NS = "http://www.w3.org/2000/svg";
  const systemColor = {};
  DATA.clips.systems.forEach((s, i) => { systemColor[s] = COLORS[i % COLORS.length]; });

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else if (k === "html") node.innerHTML = v; else node.setAttribute(k, v);
    }
    (children || []).forEach((c) => node.appendChild(typeof c === "string" ? document.createTextNode(c) : c));
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  const fmt = (x, d) => (x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toFixed(d === undefined ? 3 : d));

  /* A sortable table: columns = [{key, label, text?, render?}], rows = objects. */
  function table(host, columns, rows, opts) {
    opts = opts || {};
    const t = el("table", { class: "data" + (opts.onClick ? " clickable" : ""), id: opts.id || "" });
    const head = el("tr");
    const body = el("tbody");
    let sortKey = opts.sortKey || null, sortDir = opts.sortDir || -1;
    columns.forEach((c) => {
      const th = el("th", { class: c.text ? "text" : "", title: c.title || "", "data-key": c.key, text: c.label || LABELS[c.key] || c.key });
      th.addEventListener("click", () => { sortDir = sortKey === c.key ? -sortDir : (c.text ? 1 : -1); sortKey = c.key; draw(); });
      head.appendChild(th);
    });
    t.appendChild(el("thead", {}, [head]));
    t.appendChild(body);
    function value(r, k) { const v = r[k]; return v === null || v === undefined ? null : v; }
    function draw() {
      const sorted = rows.slice();
      if (sortKey) {
        sorted.sort((a, b) => {
          const x = value(a, sortKey), y = value(b, sortKey);
          if (x === null && y === null) return 0; if (x === null) return 1; if (y === null) return -1;
          return (typeof x === "string" ? x.localeCompare(y) : x - y) * sortDir;
        });
      }
      head.querySelectorAll("th").forEach((th) => {
        th.classList.remove("sorted-asc", "sorted-desc");
        if (th.dataset.key === sortKey) th.classList.add(sortDir > 0 ? "sorted-asc" : "sorted-desc");
      });
      body.innerHTML = "";
      sorted.forEach((r) => {
        const tr = el("tr", { "data-key": r._key || "" });
        columns.forEach((c) => {
          const td = el("td", { class: c.text ? "text" : "" });
          if (c.render) c.render(td, r); else td.textContent = typeof r[c.key] === "number" ? fmt(r[c.key]) : (r[c.key] ?? "–");
          tr.appendChild(td);
        });
        if (opts.onClick) tr.addEventListener("click", () => opts.onClick(r, tr));
        body.appendChild(tr);
      });
    }
    draw();
    host.appendChild(el("div", { class: "scroll" }, [t]));
    return t;
  }

  function metricColumn(key) {
    return {
      key,
      title: (LOWER_BETTER.has(key) ? "lower is better" : "higher is better") + "; grey: 95 % clip-bootstrap interval",
      render(td, r) {
        td.appendChild(document.createTextNode(fmt(r[key])));
        const ci = r.ci && r.ci[key];
        if (ci) td.appendChild(el("span", { class: "ci", text: fmt(ci[0]) + "–" + fmt(ci[1]) }));
      },
    };
  }
  function systemColumn() {
    return { key: "system", text: true, render(td, r) {
      td.appendChild(el("span", { class: "swatch", style: "background:" + (systemColor[r.system] || "#999") }));
      td.appendChild(document.createTextNode(r.system));
    } };
  }

  /* --- leaderboard and breakdowns ------------------------------------------------------- */
  function renderLeaderboard() {
    const rows = DATA.leaderboards.overall.map((r, i) => Object.assign({ rank: i + 1, _key: r.system }, r));
    const cols = [{ key: "rank", label: "#", render: (td, r) => { td.textContent = r.rank; } }, systemColumn()].concat(DATA.columns.map(metricColumn));
    table(document.getElementById("leaderboard-host"), cols, rows, { id: "leaderboard", sortKey: "reward", sortDir: -1 });
  }
  function renderBreakdowns() {
    Object.entries(DATA.group_names).forEach(([by, name]) => {
      const host = document.getElementById("breakdown-table-" + by);
      if (!host) return;
      const rows = DATA.leaderboards[by].map((r) => Object.assign({ _key: r.system + "|" + r.group }, r));
      const cols = [{ key: "group", label: name, text: true }, systemColumn()].concat(DATA.columns.map(metricColumn));
      table(host, cols, rows, { id: "breakdown-" + by });
    });
    const buttons = document.querySelectorAll(".tabs button");
    buttons.forEach((b) => b.addEventListener("click", () => {
      buttons.forEach((x) => x.classList.toggle("active", x === b));
      document.querySelectorAll(".breakdown").forEach((d) => d.classList.toggle("active", d.id === "breakdown-" + b.dataset.by + "-panel"));
    }));
  }
  function renderDiff() {
    const host = document.getElementById("diff-host");
    if (!host) return;
    if (!DATA.diff) { host.appendChild(el("p", { class: "empty", text: "Two nights of nightly runs are needed for a comparison." })); return; }
    const m = DATA.diff.meta;
    host.appendChild(el("p", { class: "note", text: `Night ${m.before.night} → ${m.after.night}: ${m.changes} change(s) whose 95 % paired-bootstrap interval excludes 0 (${m.resamples} resamples).` }));
    if (!DATA.diff.rows.length) { host.appendChild(el("p", { class: "empty", text: "Nothing changed beyond noise." })); return; }
    const cols = [systemColumn(), { key: "grouping", text: true }, { key: "group", text: true }, { key: "column", text: true },
      { key: "before" }, { key: "after" }, { key: "delta" }, { key: "ci_lo", label: "CI lo" }, { key: "ci_hi", label: "CI hi" },
      { key: "change", text: true, render(td, r) { td.appendChild(el("span", { class: r.change, text: r.change })); } }];
    const overall = DATA.diff.rows.filter((r) => r.grouping === "overall");
    if (overall.length) table(host, cols, overall, { id: "diff" });
    else host.appendChild(el("p", { class: "empty", text: "No overall column changed beyond noise." }));
    const more = el("details", {}, [el("summary", { text: `All ${DATA.diff.rows.length} change(s), per breakdown` })]);
    table(more, cols, DATA.diff.rows, { id: "diff-all" });
    host.appendChild(more);
  }

  /* --- clips ---------------------------------------------------------------------------- */
  const C = DATA.clips;
  let current = -1;

  function clipRows() {
    return C.ids.map((id, i) => {
      const s = C.scores[i].filter((x) => x && x[1] !== null);
      const mean = s.length ? s.reduce((a, x) => a + x[1], 0) / s.length : null;
      return { _key: id, _i: i, clip: id, duration: C.duration[i], languages: C.languages[i] || "–", snr: C.snr[i],
        overlap: C.overlap[i] ? "yes" : "no", events: C.key[i].length, mean_reward: mean };
    });
  }
  function renderClipList() {
    const cols = [{ key: "clip", text: true }, { key: "duration", label: "s", render: (td, r) => { td.textContent = fmt(r.duration, 1); } },
      { key: "languages", text: true }, { key: "snr", label: "SNR dB", render: (td, r) => { td.textContent = fmt(r.snr, 1); } },
      { key: "overlap", text: true }, { key: "events", label: "key events", render: (td, r) => { td.textContent = r.events; } },
      { key: "mean_reward", label: "mean Reward", title: "mean over systems of the clip's Reward" }];
    table(document.getElementById("clip-list-wrap"), cols, clipRows(), { id: "clip-list", onClick: (r) => showClip(r._i) });
  }

  function niceStep(duration) {
    const steps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300];
    return steps.find((s) => duration / s <= 12) || 600;
  }

  /* Greedy interval packing: each event gets the first row where it does not overlap. */
  function pack(events) {
    const ends = [];
    const order = events.map((e, k) => k).sort((a, b) => events[a][1] - events[b][1]);
    const rows = new Array(events.length);
    order.forEach((k) => {
      const [, start, end] = events[k];
      let r = ends.findIndex((last) => last <= start + 1e-6);
      if (r < 0) { r = ends.length; ends.push(end); } else ends[r] = end;
      rows[k] = r;
    });
    return { rows, depth: Math.max(1, ends.length) };
  }

  function timeline(i) {
    const W = 1000, LABEL = 170, ROW = 11, PAD = 5, TOP = 18, RIGHT = 10;
    const lanes = [{ name: "answer key", events: C.key[i], key: true }].concat(
      C.systems.map((s, j) => ({ name: s, events: C.pred[i][j], score: C.scores[i][j] })));
    lanes.forEach((lane) => { lane.packed = pack(lane.events); lane.height = lane.packed.depth * ROW + 2 * PAD; });
    const H = TOP + lanes.reduce((a, l) => a + l.height, 0) + 8;
    const dur = Math.max(C.duration[i] || 0, ...lanes.flatMap((l) => l.events.map((e) => e[2] || 0)), 0.1);
    const x = (t) => LABEL + (W - LABEL - RIGHT) * (t / dur);
    const root = svg("svg", { class: "timeline", id: "timeline", viewBox: `0 0 ${W} ${H}`, "data-clip": C.ids[i],
      role: "img", "aria-label": "timeline of " + C.ids[i] });
    const step = niceStep(dur);
    for (let t = 0; t <= dur + 1e-9; t += step) {
      root.appendChild(svg("line", { x1: x(t), x2: x(t), y1: TOP - 4, y2: H - 6, stroke: "#e8e8e8" }));
      const lab = svg("text", { x: x(t), y: 11, "text-anchor": "middle", "font-size": 10, fill: "#777" });
      lab.textContent = (Math.round(t * 10) / 10) + " s";
      root.appendChild(lab);
    }
    let y0 = TOP;
    lanes.forEach((lane, k) => {
      root.appendChild(svg("rect", { class: "lane", x: 0, y: y0, width: W, height: lane.height - 1, fill: k % 2 ? "#fbfbfc" : "#f2f3f6" }));
      const mid = y0 + lane.height / 2 + 4;
      const name = svg("text", { x: 6, y: mid, "font-size": 12, fill: lane.key ? "#000" : systemColor[lane.name],
        "font-weight": lane.key ? 700 : 600 });
      name.textContent = lane.name.length > 16 ? lane.name.slice(0, 15) + "…" : lane.name;
      root.appendChild(name);
      if (!lane.key && lane.score) {
        const sc = svg("text", { x: LABEL - 6, y: mid, "font-size": 10, fill: "#777", "text-anchor": "end" });
        sc.textContent = "F1 " + fmt(lane.score[0], 2);
        root.appendChild(sc);
      }
      lane.events.forEach((e, n) => {
        const [ti, start, end, text, halluc] = e;
        const type = C.types[ti] || "unknown";
        const r = svg("rect", { class: "ev ev-" + type + (halluc ? " halluc" : ""), x: x(start), y: y0 + PAD + lane.packed.rows[n] * ROW,
          width: Math.max(1.5, x(end) - x(start)), height: ROW - 2, rx: 2, fill: TYPE_COLORS[type] || "#999",
          opacity: halluc ? 0.45 : 0.9 });
        const title = svg("title");
        title.textContent = `${lane.name} · ${type} ${fmt(start, 2)}–${fmt(end, 2)} s${halluc ? " · hallucination (overlaps no key event of its type)" : ""}\n${C.texts[text] || ""}`;
        r.appendChild(title);
        r.addEventListener("click", () => { const a = document.getElementById("clip-audio"); if (a) { a.currentTime = start; a.play().catch(() => {}); } });
        root.appendChild(r);
      });
      y0 += lane.height;
    });
    const head = svg("line", { id: "playhead", x1: x(0), x2: x(0), y1: TOP - 4, y2: H - 4, stroke: "#d62728", "stroke-width": 1.5, visibility: "hidden" });
    root.appendChild(head);
    root._x = x;
    return root;
  }

  function showClip(i) {
    if (i < 0 || i >= C.ids.length) return;
    current = i;
    const host = document.getElementById("clip-viewer");
    host.innerHTML = "";
    const id = C.ids[i];
    host.appendChild(el("h3", { text: `${id} · ${fmt(C.duration[i], 1)} s · ${C.languages[i] || "no speech"} · SNR ${fmt(C.snr[i], 1)} dB${C.overlap[i] ? " · overlapping speech" : ""}` }));
    const nav = el("div", {}, [
      el("button", { type: "button", id: "prev-clip", text: "◀ previous" }), " ",
      el("button", { type: "button", id: "next-clip", text: "next ▶" })]);
    nav.querySelector("#prev-clip").addEventListener("click", () => showClip(current - 1));
    nav.querySelector("#next-clip").addEventListener("click", () => showClip(current + 1));
    host.appendChild(nav);
    const tl = timeline(i);
    if (C.audio[i]) {
      const audio = el("audio", { id: "clip-audio", controls: "", preload: "metadata", src: C.audio[i] });
      audio.addEventListener("timeupdate", () => {
        const head = document.getElementById("playhead");
        if (!head) return;
        const px = tl._x(audio.currentTime);
        head.setAttribute("x1", px); head.setAttribute("x2", px); head.setAttribute("visibility", "visible");
      });
      host.appendChild(audio);
    } else {
      host.appendChild(el("p", { class: "empty", text: "No audio file is recorded for this clip." }));
    }
    host.appendChild(tl);
    const legend = el("div", { class: "legend" });
    Object.entries(TYPE_COLORS).forEach(([t, c]) => legend.appendChild(el("span", {}, [el("span", { class: "swatch", style: "background:" + c }), t])));
    legend.appendChild(el("span", { text: "dashed red outline: hallucination · click an event to play from it" }));
    host.appendChild(legend);
    const rows = C.systems.map((s, j) => {
      const sc = C.scores[i][j] || [null, null, null, null];
      return { _key: s, system: s, f1: sc[0], reward: sc[1], n_pred: sc[2], invalid: sc[3], events: C.pred[i][j].length };
    });
    table(host, [systemColumn(), { key: "reward" }, { key: "f1" }, { key: "n_pred", label: "#pred", render: (td, r) => { td.textContent = r.n_pred ?? "–"; } },
      { key: "invalid", label: "invalid", render: (td, r) => { td.textContent = r.invalid ?? "–"; } }], rows, { id: "clip-scores", sortKey: "reward" });
    document.querySelectorAll("#clip-list tbody tr").forEach((tr) => tr.classList.toggle("selected", tr.dataset.key === id));
    try {
      if (location.hash !== "#clip=" + encodeURIComponent(id)) history.replaceState(null, "", "#clip=" + encodeURIComponent(id));
    } catch (e) { /* some browsers refuse history changes on file:// pages; the link is a convenience only */ }
  }

  renderLeaderboard();
  renderBreakdowns();
  renderDiff();
  renderClipList();
  const wanted = decodeURIComponent((location.hash.match(/clip=([^&]+)/) || [])[1] || "");
  showClip(Math.max(0, C.ids.indexOf(wanted)));
  document.body.setAttribute("data-rendered", "true");
})();
