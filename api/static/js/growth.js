/* 成长档案 charts: 能力素质曲线 (annual grades) and training hours per year against the requirement.
   Data comes from <script type="application/json" id="growth-chart-data">; ECharts is vendored locally. */
(function () {
  "use strict";
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
  var bars = chart("training-chart");
  if (bars) {
    bars.setOption({
      animation: false, textStyle: { fontFamily: font },
      aria: { enabled: true, label: { description: "年度培训学时：" + t.years.map(function (y, i) {
        return y + "年" + t.hours[i] + "学时"; }).join("，") + "；要求每年" + t.required + "学时" } },
      tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 56, right: 24, top: 40, bottom: 48 },
      xAxis: { type: "category", data: t.years, name: "年度" },
      yAxis: { type: "value", name: "学时", min: 0, max: function (v) { return Math.max(v.max, t.required) * 1.15; } },
      series: [{
        name: "培训学时", type: "bar", data: t.hours.map(function (h) {
          return { value: h, itemStyle: { color: h < t.required ? "#c77c02" : "#2e7d32" } };
        }),
        label: { show: true, position: "top" }, barMaxWidth: 36,
        markLine: { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#b3261e", width: 2 },
          label: { formatter: "要求 " + t.required + " 学时", position: "insideStartTop", color: "#b3261e",
            backgroundColor: "rgba(255,255,255,0.85)", padding: [1, 4] },
          data: [{ yAxis: t.required, name: "年度要求" }] }
      }]
    });
  }

  window.addEventListener("resize", function () {
    if (curve) { curve.resize(); }
    if (bars) { bars.resize(); }
  });
})();
