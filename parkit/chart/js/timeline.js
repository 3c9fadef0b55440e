// timeline.js holds the functions a timeline chart's ECharts option names.
// It is pasted into the chart's <script> inside function(echarts) {...},
// so the option can refer to them by name (parkit/chart puts the names in
// with go-echarts' FuncOpts markers and unquotes them).

// parkitBar draws one task: a rectangle from its start to its end in its
// worker's row, with the task's index on it when it fits. Each data item's
// value is [row, start, end, task, worker, pid, tid, cpu].
function parkitBar(params, api) {
  var row = api.value(0);
  var from = api.coord([api.value(1), row]);
  var to = api.coord([api.value(2), row]);
  var height = api.size([0, 1])[1] * 0.7;
  var rect = echarts.graphic.clipRectByRect({
    x: from[0],
    y: from[1] - height / 2,
    width: Math.max(to[0] - from[0], 1), // a task too short to see still shows
    height: height
  }, {
    x: params.coordSys.x, y: params.coordSys.y,
    width: params.coordSys.width, height: params.coordSys.height
  });
  if (!rect) return null;
  var failed = api.value(8) === 1;
  var children = [{
    type: "rect",
    shape: rect,
    style: {
      fill: api.visual("color"),
      stroke: failed ? "#a50f15" : "rgba(0,0,0,0.25)",
      lineWidth: failed ? 2 : 0.5
    }
  }];
  var label = String(api.value(3));
  if (rect.width >= 8 * label.length + 6 && rect.height >= 10) {
    children.push({
      type: "text",
      silent: true,
      style: {
        text: label, x: rect.x + rect.width / 2, y: rect.y + rect.height / 2,
        align: "center", verticalAlign: "middle", fill: "#fff",
        font: "bold 11px sans-serif"
      }
    });
  }
  return { type: "group", children: children };
}

// parkitTip is the tooltip of one task. parkitUnit (the time axis unit)
// and parkitShowGroup (whether to name the colour group) are set before it.
function parkitTip(p) {
  var v = p.value;
  var unit = parkitUnit;
  var known = function (n) { return n < 0 ? "?" : String(n); };
  var num = function (x) { return (Math.round(x * 1000) / 1000) + " " + unit; };
  var esc = echarts.format.encodeHTML;
  var lines = [
    "<b>task " + v[3] + "</b>" + (parkitShowGroup ? " (" + esc(p.seriesName) + ")" : ""),
    "worker " + v[4] + ", PID " + known(v[5]) + ", thread " + known(v[6]) + ", CPU " + known(v[7]),
    "start " + num(v[1]) + ", end " + num(v[2]),
    "duration " + num(v[2] - v[1])
  ];
  if (p.name) lines.push("<span style='color:#a50f15'>error: " + esc(p.name) + "</span>");
  return lines.join("<br>");
}
