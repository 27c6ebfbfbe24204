/* 成长档案 charts: 能力素质曲线 (annual grades) and training hours per year against the requirement.
   Data comes from <script type="application/json" id="growth-chart-data">; ECharts is vendored locally. */
(function () {
  "use strict";
  // a link to an entry (#entry-…: 查看该记录, 依据, 更正) opens that entry's details
  function openLinked() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var details = target && target.classList.contains("entry") ? target.querySelector("details") : null;
    if (details) { details.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openLinked);
  openLinked();

  var source = document.getElementById("growth-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var GRADE = { 1: "不称职", 2: "基本称职", 3: "称职", 4: "优秀" };
  var font = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    return echarts.init(el, null, { renderer: "svg", locale: "ZH" });
  }

  var a = data.assessments;
  var curve = chart("assessment-chart");
  if (curve && a.periods.length) {
    var series = [{
      name: "年度考核等次", type: "line", data: a.scores, connectNulls: false, symbol: "circle", symbolSize: 9,
      label: { show: true, formatter: function (p) { return a.grades[p.dataIndex]; } },
      lineStyle: { width: 3, color: "#b3261e" }, itemStyle: { color: "#b3261e" }
    }];
    var yAxes = [{ type: "value", min: 0, max: 4, interval: 1, name: "等次",
      axisLabel: { formatter: function (v) { return GRADE[v] || ""; } } }];
    if (a.democratic.some(function (v) { return v !== null; })) {
      yAxes.push({ type: "value", min: 0, max: 100, name: "民主测评", position: "right", splitLine: { show: false } });
      series.push({ name: "民主测评得分", type: "line", yAxisIndex: 1, data: a.democratic, symbol: "rect",
        symbolSize: 7, lineStyle: { type: "dashed", color: "#1a5fb4" }, itemStyle: { color: "#1a5fb4" } });
    }
    curve.setOption({
      animation: false, textStyle: { fontFamily: font },
      aria: { enabled: true, label: { description: "能力素质曲线：" + a.periods.map(function (p, i) {
        return p + "年度" + a.grades[i]; }).join("，") } },
      tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 64, right: 48, top: 30, bottom: 48 },
      xAxis: { type: "category", data: a.periods, name: "年度" }, yAxis: yAxes, series: series
    });
  }

  var t = data.training;
  var OK = "#2e7d32", SHORT = "#c77c02", REQUIRED = "#b3261e";
  var short = {};
  t.short.forEach(function (y) { short[y] = true; });
  function hoursText(v) { return v === null || v === undefined ? "" : String(Math.round(v * 10) / 10); }
  // a round axis: the top a whole number of steps (10, 20, 25, 50 …) above the highest bar and the
  // requirement, labelled at every step (never 243.79999999999998)
  function roundAxis(highest) {
    var steps = [5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000];
    var wanted = Math.max(highest * 1.1, 1);
    for (var i = 0; i < steps.length; i++) {
      if (Math.ceil(wanted / steps[i]) <= 6) { return { max: Math.ceil(wanted / steps[i]) * steps[i], step: steps[i] }; }
    }
    return { max: Math.ceil(wanted / 10000) * 10000, step: Math.ceil(wanted / 60000) * 10000 };
  }
  var requirement = "每年要求 " + t.required + " 学时";
  var axis = roundAxis(Math.max.apply(null, t.hours.concat([t.required])));
  var bars = chart("training-chart");
  if (bars) {
    bars.setOption({
      animation: false, textStyle: { fontFamily: font },
      aria: { enabled: true, label: { description: "年度培训学时：" + t.years.map(function (y, i) {
        return y + "年" + hoursText(t.hours[i]) + "学时"; }).join("，") + "；要求每年" + t.required + "学时" } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, data: ["培训学时", "学时不足",
        { name: requirement, icon: "path://M0 4h7v2H0zM10 4h7v2h-7zM20 4h7v2h-7z" }] },  // a dashed line, as drawn
      grid: { left: 56, right: 40, top: 40, bottom: 48 },
      xAxis: { type: "category", data: t.years, name: "年度" },
      yAxis: { type: "value", name: "学时", min: 0, max: axis.max, interval: axis.step,
        axisLabel: { formatter: function (v) { return String(Math.round(v)); } } },
      // each series in its own colour, so the legend's colour is the bars' colour: enough hours (or a
      // year not judged) in green, a year short of the requirement in amber, the requirement a red line
      series: [{
        name: "培训学时", type: "bar", stack: "hours", color: OK, barMaxWidth: 36,
        data: t.hours.map(function (h, i) { return short[t.years[i]] ? null : h; }),
        label: { show: true, position: "top", formatter: function (p) { return hoursText(p.value); } }
      }, {
        name: "学时不足", type: "bar", stack: "hours", color: SHORT, barMaxWidth: 36,
        data: t.hours.map(function (h, i) { return short[t.years[i]] ? h : null; }),
        label: { show: true, position: "top", formatter: function (p) { return hoursText(p.value); } }
      }, {
        // the requirement: a series of its own (for the legend) drawn as a dashed line across the chart
        name: requirement, type: "line", color: REQUIRED, data: [], silent: true,
        markLine: { symbol: "none", silent: true, label: { show: false },
          lineStyle: { type: "dashed", color: REQUIRED, width: 2 }, data: [{ yAxis: t.required }] }
      }]
    });
  }

  window.addEventListener("resize", function () {
    if (curve) { curve.resize(); }
    if (bars) { bars.resize(); }
  });
})();
