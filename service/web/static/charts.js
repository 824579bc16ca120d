/* Parley Explorer's charts, drawn with Observable Plot from the JSON beside each figure.
   An enhancement only: every figure's data is also in a table on the page. No eval, no
   inline style (the pages' Content-Security-Policy forbids both). */
(function () {
  "use strict";

  var STANCES = { "-2": "rejects", "-1": "opposes", "0": "open", "1": "supports", "2": "demands" };
  // Okabe & Ito's colour-blind-safe qualitative palette (yellow left out: too light on white);
  // each party also has its own symbol, so colour is never the only channel
  var COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#999999"];
  var SYMBOLS = ["circle", "square", "triangle", "diamond", "star", "cross", "wye", "times"];
  var D3_SYMBOLS = {
    circle: "symbolCircle", square: "symbolSquare", triangle: "symbolTriangle",
    diamond: "symbolDiamond", star: "symbolStar", cross: "symbolCross", wye: "symbolWye",
    times: "symbolTimes"
  };
  var SVG = "http://www.w3.org/2000/svg";
  var DAY = 86400000;

  function day(text) { return new Date(text + "T00:00:00Z"); }
  function signed(score) { return score > 0 ? "+" + score : score < 0 ? "\u2212" + (-score) : "0"; }
  // party i's colour and symbol: the pair differs for the first 64 parties
  function colour(i) { return COLOURS[i % COLOURS.length]; }
  function symbol(i) { return SYMBOLS[(i + Math.floor(i / COLOURS.length)) % SYMBOLS.length]; }

  function roundMarks(rounds, width) {
    var data = rounds.map(function (r) { return { date: day(r.date), label: "Round " + r.number }; });
    // a label every few rounds when they are many, so that labels do not overlap
    var every = Math.max(1, Math.ceil(data.length * 64 / width));
    var labelled = data.filter(function (r, i) { return i % every === 0; });
    return [
      Plot.ruleX(data, { x: "date", stroke: "#57606a", strokeDasharray: "4,3", ariaLabel: function (r) { return r.label; } }),
      Plot.text(labelled, { x: "date", text: "label", frameAnchor: "top", dy: -16, fill: "#57606a", ariaHidden: true })
    ];
  }

  /* An issue: one step-after line per party, a symbol per position, rounds as rules. */
  function timeline(data, width) {
    var parties = data.series.map(function (s) { return s.party; });
    var spread = Math.min(0.08, 0.6 / Math.max(1, parties.length));
    var end = new Date(day(data.domain[1]).getTime() + DAY);
    var dots = [], steps = [];
    data.series.forEach(function (series, i) {
      // a small vertical offset per party, so that equal stances do not hide each other
      var offset = (i - (parties.length - 1) / 2) * spread;
      series.points.forEach(function (p) {
        var point = {
          party: series.party, name: series.name, date: day(p.date), iso: p.date,
          score: p.score, y: p.score + offset, stance: p.stance, change: p.change
        };
        dots.push(point);
        steps.push(point);
      });
      var last = steps[steps.length - 1];
      steps.push({ party: series.party, name: series.name, date: end, y: last.y });
    });
    return Plot.plot({
      className: "chart-plot",
      width: width,
      height: width < 500 ? 300 : 360,
      marginLeft: 72,
      marginRight: 16,
      marginTop: 30,
      ariaLabel: "Chart: each party's stance over time",
      x: { type: "utc", domain: [day(data.domain[0]), end], label: null, ticks: width < 500 ? 4 : 8 },
      y: {
        domain: [-2.5, 2.5], ticks: [-2, -1, 0, 1, 2], label: null, grid: true,
        tickFormat: function (score) { return STANCES[score]; }
      },
      color: { domain: parties, range: parties.map(function (p, i) { return colour(i); }) },
      symbol: { domain: parties, range: parties.map(function (p, i) { return symbol(i); }) },
      marks: roundMarks(data.rounds, width).concat([
        Plot.line(steps, {
          x: "date", y: "y", z: "party", stroke: "party", curve: "step-after", strokeWidth: 2.5,
          ariaLabel: function (p) { return p.name; }
        }),
        Plot.dot(dots, {
          x: "date", y: "y", stroke: "party", fill: "party", symbol: "party", r: 4.5,
          ariaLabel: function (p) { return p.name + ", " + p.iso + ": " + p.stance + " (" + signed(p.score) + ")"; },
          title: function (p) { return p.name + ", " + p.iso + "\n" + p.stance + " (" + p.change + ")"; }
        })
      ])
    });
  }

  /* Two parties: the mean gap as a step-after line, a dot per date either moved. */
  function convergence(data, width) {
    var end = new Date(day(data.domain[1]).getTime() + DAY);
    var known = data.points.filter(function (p) { return p.mean_gap !== null; });
    var dots = known.map(function (p) {
      return { date: day(p.date), iso: p.date, gap: p.mean_gap, issues: p.issues };
    });
    var steps = dots.slice();
    if (dots.length) steps.push({ date: end, gap: dots[dots.length - 1].gap });
    return Plot.plot({
      className: "chart-plot",
      width: width,
      height: width < 500 ? 260 : 300,
      marginLeft: 48,
      marginRight: 16,
      marginTop: 30,
      ariaLabel: "Chart: the mean gap between the two parties over time",
      x: { type: "utc", domain: [day(data.domain[0]), end], label: null, ticks: width < 500 ? 4 : 8 },
      y: { domain: [0, 4], ticks: [0, 1, 2, 3, 4], label: "↑ mean gap", grid: true },
      marks: roundMarks(data.rounds, width).concat([
        Plot.line(steps, { x: "date", y: "gap", curve: "step-after", stroke: "#5e3c99", strokeWidth: 2.5 }),
        Plot.dot(dots, {
          x: "date", y: "gap", fill: "#5e3c99", r: 4.5,
          ariaLabel: function (p) { return p.iso + ": mean gap " + p.gap + " over " + p.issues + " issues"; },
          title: function (p) { return p.iso + "\nmean gap " + p.gap + " over " + p.issues + " issues"; }
        })
      ])
    });
  }

  /* The parties' colours and symbols, as a list beside the chart. */
  function legend(data) {
    var list = document.createElement("ul");
    list.className = "chart-legend";
    list.setAttribute("aria-label", "Parties in the chart");
    data.series.forEach(function (series, i) {
      var item = document.createElement("li");
      var swatch = document.createElementNS(SVG, "svg");
      swatch.setAttribute("width", "16");
      swatch.setAttribute("height", "16");
      swatch.setAttribute("viewBox", "-8 -8 16 16");
      swatch.setAttribute("aria-hidden", "true");
      var shape = document.createElementNS(SVG, "path");
      shape.setAttribute("d", d3.symbol(d3[D3_SYMBOLS[symbol(i)]], 60)());
      shape.setAttribute("fill", colour(i));
      shape.setAttribute("stroke", colour(i));
      swatch.appendChild(shape);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(series.name));
      list.appendChild(item);
    });
    return list;
  }

  var DRAW = { timeline: timeline, convergence: convergence };

  function draw(figure) {
    var island = document.getElementById(figure.getAttribute("data-chart"));
    var holder = figure.querySelector(".chart");
    if (!island || !holder) return;
    var data = JSON.parse(island.textContent);
    if (!data.domain[0]) return;  // no position yet: nothing to draw (the table says so)
    var width = Math.max(300, Math.min(holder.clientWidth || figure.clientWidth, 1200));
    var chart = DRAW[data.kind](data, width);
    // Plot's own <style> would break the Content-Security-Policy; explorer.css has its rules
    Array.prototype.forEach.call(chart.querySelectorAll("style"), function (s) { s.remove(); });
    // one image to assistive technology, named by Plot's ariaLabel and described by the
    // caption; the table beside it is the text alternative, point by point. The marks'
    // labels stay as data-label (an aria-label on a shape without a role is not allowed).
    Array.prototype.forEach.call(chart.querySelectorAll("[aria-label]"), function (node) {
      node.setAttribute("data-label", node.getAttribute("aria-label"));
      node.removeAttribute("aria-label");
    });
    chart.setAttribute("role", "img");
    var caption = figure.querySelector("figcaption");
    if (caption && caption.id) chart.setAttribute("aria-describedby", caption.id);
    holder.replaceChildren(chart);
    if (data.series) holder.appendChild(legend(data));
    holder.setAttribute("data-drawn", String(width));
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("figure[data-chart]"), draw);
  }

  if (window.Plot && window.d3) {
    drawAll();
    var waiting = null;
    window.addEventListener("resize", function () {
      clearTimeout(waiting);
      waiting = setTimeout(drawAll, 150);
    });
  }
})();
