/* 队伍结构 charts: one chart per dimension (bar or pie), the same figures as the table beside it.
   Data comes from <script type="application/json" id="structure-chart-data">; ECharts is vendored locally. */
(function () {
  "use strict";
  var source = document.getElementById("structure-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var font = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  var palette = ["#b3261e", "#1a5fb4", "#2e7d32", "#c77c02", "#6a3d9a", "#00838f", "#8a3b00", "#5f6368"];
  var charts = [];

  data.dimensions.forEach(function (d) {
    var el = document.getElementById("chart-" + d.key);
    if (!el || !d.labels.length) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    var option = { animation: false, textStyle: { fontFamily: font }, color: palette, tooltip: {} };
    if (d.chart === "pie") {
      option.series = [{ name: d.title, type: "pie", radius: ["30%", "62%"], center: ["50%", "52%"],
        label: { formatter: "{b}\n{c}（{d}%）" },
        data: d.labels.map(function (label, i) { return { name: label, value: d.counts[i] }; }) }];
    } else {
      option.grid = { left: 12, right: 24, top: 28, bottom: 8, containLabel: true };
      option.xAxis = { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: d.labels.length > 4 ? 30 : 0 } };
      option.yAxis = { type: "value", minInterval: 1 };
      option.series = [{ name: d.title, type: "bar", data: d.counts, barMaxWidth: 36, itemStyle: { color: "#b3261e" },
        label: { show: true, position: "top" } }];
    }
    chart.setOption(option);
    charts.push(chart);
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
