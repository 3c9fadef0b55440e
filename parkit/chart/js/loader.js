// loader.js draws one parkit chart. It is pasted into every chart's
// <script>, so each chart output stands alone:
//   - if ECharts is on the page (window.echarts), draw now;
//   - else queue the chart and load ECharts once for all queued charts, from
//     each URL in turn: through RequireJS when the page has it (the classic
//     Notebook, nbconvert exports opened from disk), else with a <script>;
//   - if every URL fails, say so in the chart and keep its static PNG.
// The ECharts library output that parkit/chart sends once per notebook
// also drains the queue (window.__parkitECharts.flush) when it runs.
(function (w, id, makeOption, urls) {
  var P = w.__parkitECharts = w.__parkitECharts || { queue: [], loading: false };
  P.ready = function () { return !!(w.echarts && w.echarts.init); };
  P.flush = function () {
    if (!P.ready()) return;
    var q = P.queue;
    P.queue = [];
    for (var i = 0; i < q.length; i++) q[i].draw(w.echarts);
  };

  function parts() {
    var box = document.getElementById(id);
    if (!box) return null;
    return {
      box: box,
      canvas: box.querySelector(".parkit-chart-canvas"),
      image: box.querySelector(".parkit-chart-static"),
      message: box.querySelector(".parkit-chart-message")
    };
  }

  function draw(echarts) {
    var p = parts();
    if (!p || p.box.getAttribute("data-drawn")) return;
    p.box.setAttribute("data-drawn", "1");
    p.canvas.style.display = "block";
    try {
      var chart = echarts.init(p.canvas, null, { renderer: "canvas" });
      chart.setOption(makeOption(echarts));
      if (p.image) p.image.style.display = "none";
      if (p.message) p.message.style.display = "none";
      w.addEventListener("resize", function () { chart.resize(); });
    } catch (err) {
      p.canvas.style.display = "none";
      fail("the chart could not be drawn: " + err);
      throw err;
    }
  }

  function fail(why) {
    var p = parts();
    if (!p || !p.message) return;
    p.message.textContent = "Interactive chart not shown (" + why + "). " +
      "The picture above is a static copy. To fix it: run scripts/install.sh " +
      "(it puts echarts.min.js next to the notebooks), then re-run this cell.";
    p.message.style.display = "block";
  }

  if (P.ready()) { draw(w.echarts); return; }
  P.queue.push({ draw: draw, fail: fail });
  if (P.loading) return;
  P.loading = true;

  function failAll(why) {
    P.loading = false;
    var q = P.queue;
    P.queue = [];
    for (var i = 0; i < q.length; i++) q[i].fail(why);
  }

  function loaded(echarts) {
    P.loading = false;
    if (echarts && echarts.init && !P.ready()) w.echarts = echarts;
    P.flush();
  }

  function tryURL(i) {
    if (P.ready()) { loaded(); return; }
    if (i >= urls.length) { failAll("could not load ECharts from " + urls.join(", ")); return; }
    var url = urls[i];
    var req = w.requirejs || w.require;
    if (typeof req === "function" && typeof w.define === "function" && w.define.amd) {
      // With RequireJS on the page ECharts' bundle defines an AMD module
      // and sets no window.echarts: ask RequireJS for it. A module ID
      // that ends in ".js" is a URL to RequireJS.
      req([url], function (echarts) { loaded(echarts); }, function () {
        if (req.undef) req.undef(url);
        tryURL(i + 1);
      });
      return;
    }
    var s = document.createElement("script");
    s.src = url;
    s.async = true;
    s.onload = function () { if (P.ready()) loaded(); else tryURL(i + 1); };
    s.onerror = function () { tryURL(i + 1); };
    document.head.appendChild(s);
  }
  tryURL(0);
})
