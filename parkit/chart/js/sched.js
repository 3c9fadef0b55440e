// sched.js holds the functions a scheduler chart's ECharts option names
// (see timeline.js, pasted before it, for parkitBar and parkitUnit).

// parkitSlice draws one running slice like a task's bar (value: [row,
// start, end, task, goroutine, p, m, preempted]) and, when the scheduler
// preempted it, a dark tick at its end.
function parkitSlice(params, api) {
  var bar = parkitBar(params, api);
  if (!bar || api.value(7) !== 1) return bar;
  var end = api.coord([api.value(2), api.value(0)]);
  var height = api.size([0, 1])[1] * 0.9;
  var cs = params.coordSys;
  if (end[0] < cs.x || end[0] > cs.x + cs.width) return bar;
  bar.children.push({
    type: "line", silent: true,
    shape: { x1: end[0], y1: end[1] - height / 2, x2: end[0], y2: end[1] + height / 2 },
    style: { stroke: "#222", lineWidth: 1.5 }
  });
  return bar;
}

// parkitPause shades a stop-the-world pause over the whole plot area
// (value: [0, start, end]).
function parkitPause(params, api) {
  var from = api.coord([api.value(1), 0]);
  var to = api.coord([api.value(2), 0]);
  var cs = params.coordSys;
  var rect = echarts.graphic.clipRectByRect({
    x: from[0], y: cs.y, width: Math.max(to[0] - from[0], 2), height: cs.height
  }, { x: cs.x, y: cs.y, width: cs.width, height: cs.height });
  if (!rect) return null;
  return { type: "rect", shape: rect, style: { fill: "rgba(120,120,120,0.35)" } };
}

// parkitSliceTip is the tooltip of a running slice; its data item's name
// says why the slice ended.
function parkitSliceTip(p) {
  var v = p.value;
  var num = function (x) { return (Math.round(x * 1000) / 1000) + " " + parkitUnit; };
  return [
    "<b>task " + v[3] + "</b> on goroutine " + v[4],
    "P" + v[5] + ", OS thread M" + v[6],
    "ran " + num(v[1]) + " to " + num(v[2]) + " (" + num(v[2] - v[1]) + ")",
    "ended: " + echarts.format.encodeHTML(p.name)
  ].join("<br>");
}

// parkitPauseTip is the tooltip of a stop-the-world pause.
function parkitPauseTip(p) {
  var v = p.value;
  var us = Math.round((v[2] - v[1]) * ({ s: 1e6, ms: 1e3 }[parkitUnit] || 1));
  return "<b>stop-the-world</b>: " + echarts.format.encodeHTML(p.name) + "<br>" + us + " µs, no goroutine ran";
}
