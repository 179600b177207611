/*
 * The results page's script (docs/commands.md, "The page"), the same in the report and on a page
 * that `sharpsweep serve` serves. It draws each sweep's interactive views into the section's
 * `.explore` element from the JSON model the page embeds (#sharpsweep-model, written by the
 * analysis module's Page and PageModel): filters by setting, a colour column, parallel
 * coordinates whose axis brushing selects points, heatmaps, the stability diagram, trajectories,
 * spectral densities and the table of points; every view but the parallel coordinates shows the
 * selected points only. Hovering a heatmap cell, a point or a line shows its values, settings and
 * point ids.
 *
 * On a served page (body data-live="true") it fetches the model again every POLL_MS
 * (model.json?since=VERSION; the server answers 204 while nothing changed) and redraws, keeping
 * the reader's choices. It never fetches anything on a report. For readers and tests it sets on
 * <body> data-model-version (the model drawn) and, once the page has loaded, data-images-loaded
 * ("decoded/total" of the report's pictures; a broken one gets class "broken").
 */
(function () {
  'use strict';

  var POLL_MS = 2000;
  var MAX_TABLE_ROWS = 300;
  var MAX_TOOLTIP_POINTS = 8;
  /** Ratio of the largest to the smallest value on a diagram axis from which it is logarithmic (DiagramPainter's). */
  var LOG_AXIS_RATIO = 30;
  /** Cells of a heatmap up to which each shows its value. */
  var LABELLED_CELLS = 64;
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  /** viridis, five stops */
  var RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];
  var STATUS_COLOURS = { OK: '#1a9850', DIVERGED: '#b2182b', FAILED: '#7f7f7f' };
  /** Metrics of the points table, when the sweep has them. */
  var TABLE_METRICS = ['sharpness', 'nonuniformity', 'train_loss', 'test_loss', 'gen_gap_loss', 'test_acc', 'gen_gap_acc'];

  var views = {};

  // ---------------------------------------------------------------- values

  /** A model value as a number: NaN for null or text, the strings "Infinity" etc. as those numbers. */
  function num(v) {
    if (typeof v === 'number') return v;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return NaN;
  }

  /** A value as the page writes it: numbers in 4 significant digits. */
  function fmt(v) {
    if (v === null || v === undefined) return 'null';
    if (typeof v !== 'number') {
      return v === 'Infinity' ? '∞' : v === '-Infinity' ? '−∞' : String(v);
    }
    if (!isFinite(v)) return isNaN(v) ? 'NaN' : (v > 0 ? '∞' : '−∞');
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (Number.isInteger(v) && a < 1e7) return String(v);
    if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(4)));
    var e = v.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
    return e;
  }

  /** The key of a value in filters and category axes. */
  function key(v) {
    return v === null || v === undefined ? 'null' : String(v);
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function el(tag, cls, html) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html !== undefined) e.innerHTML = html;
    return e;
  }

  function mean(xs) {
    var s = 0;
    for (var i = 0; i < xs.length; i++) s += xs[i];
    return s / xs.length;
  }

  /** Interpolates RAMP at t in [0, 1]. */
  function ramp(t) {
    t = Math.max(0, Math.min(1, t));
    var x = t * (RAMP.length - 1), i = Math.min(RAMP.length - 2, Math.floor(x)), f = x - i;
    var a = parseInt(RAMP[i].slice(1), 16), b = parseInt(RAMP[i + 1].slice(1), 16);
    var c = [16, 8, 0].map(function (s) {
      var p = (a >> s) & 255, q = (b >> s) & 255;
      return Math.round(p + (q - p) * f);
    });
    return 'rgb(' + c.join(',') + ')';
  }

  // ---------------------------------------------------------------- one sweep's views

  function View(section) {
    this.section = section;
    this.root = section.querySelector('.explore');
    this.state = { filters: {}, colour: null, colourChosen: false, x: null, y: null, chosen: false, brush: {} };
    this.charts = {};
    this.brushed = null;
    this.built = false;
  }

  View.prototype.column = function (name) {
    return this.data.rows[name];
  };

  View.prototype.info = function (name) {
    return this.data.columns[name] || { label: name, numeric: false, log: false };
  };

  View.prototype.build = function () {
    var r = this.root;
    r.innerHTML = '';
    r.appendChild(el('h3', null, 'Explore'));
    this.controls = r.appendChild(el('div', 'controls'));
    this.selection = r.appendChild(el('p', 'selection'));
    this.pcTitle = r.appendChild(el('h4', null, 'Parallel coordinates: every setting that varies and every metric '
        + '(drag along an axis to select points; the other views show the selection)'));
    this.pcBox = r.appendChild(el('div', 'pc-scroll'));
    this.pcEl = this.pcBox.appendChild(el('div', 'chart pc'));
    this.heatTitle = r.appendChild(el('h4', null, 'Heatmaps'));
    this.heatNote = r.appendChild(el('p', 'muted'));
    this.heatBox = r.appendChild(el('div', 'heatmaps'));
    this.diagramTitle = r.appendChild(el('h4', null, 'Sharpness / non-uniformity diagram'));
    this.diagramEl = r.appendChild(el('div', 'chart diagram'));
    this.trajTitle = r.appendChild(el('h4', null, 'Trajectories'));
    this.trajEl = r.appendChild(el('div', 'chart trajectories'));
    this.densityTitle = r.appendChild(el('h4', null, 'Hessian spectral density'));
    this.densityEl = r.appendChild(el('div', 'chart density'));
    r.appendChild(el('h4', null, 'Points'));
    this.table = r.appendChild(el('div', 'points'));
    var self = this;
    this.controls.addEventListener('change', function (e) { self.onControl(e.target); });
    this.controls.addEventListener('click', function (e) {
      if (e.target.classList.contains('reset')) {
        self.state.filters = {};
        self.state.brush = {};
        self.brushed = null;
        self.drawControls();
        self.drawAll();
      }
    });
    this.built = true;
  };

  View.prototype.update = function (data) {
    this.data = data;
    if (!this.built) this.build();
    var d = data, s = this.state;
    if (!s.colourChosen || (d.settings.indexOf(s.colour) < 0 && d.metrics.indexOf(s.colour) < 0 && s.colour !== 'status')) {
      s.colourChosen = false;
      s.colour = d.settings.indexOf('lr') >= 0 ? 'lr' : d.settings.length ? d.settings[0] : 'status';
    }
    // the heatmap axes: the reader's choice while the sweep still has it, else the first two axes (a running sweep
    // may have one axis at first and more as its points arrive)
    if (!s.chosen || d.axes.indexOf(s.x) < 0 || (s.y !== '' && d.axes.indexOf(s.y) < 0)) {
      s.chosen = false;
      s.x = d.axes.length ? d.axes[0] : null;
      s.y = d.axes.length > 1 ? d.axes[1] : '';
    }
    this.drawControls();
    this.drawAll();
  };

  View.prototype.drawControls = function () {
    var d = this.data, s = this.state, self = this, h = '';
    var colours = d.settings.concat(['status']).concat(d.metrics);
    h += '<label>colour by <select class="colour">' + colours.map(function (c) {
      return '<option value="' + esc(c) + '"' + (c === s.colour ? ' selected' : '') + '>' + esc(c) + '</option>';
    }).join('') + '</select></label> <span class="legend"></span>';
    if (d.axes.length) {
      h += '<label>heatmap x <select class="hx">' + d.axes.map(function (a) {
        return '<option' + (a === s.x ? ' selected' : '') + '>' + esc(a) + '</option>';
      }).join('') + '</select></label>';
      h += '<label>y <select class="hy"><option value=""' + (s.y === '' ? ' selected' : '') + '>(none)</option>'
          + d.axes.map(function (a) {
            return '<option' + (a === s.y ? ' selected' : '') + '>' + esc(a) + '</option>';
          }).join('') + '</select></label>';
    }
    d.settings.forEach(function (c) {
      var values = self.info(c).values || [];
      if (values.length < 2 || values.length > 40) return;
      var off = s.filters[c] || {};
      h += '<fieldset data-filter="' + esc(c) + '"><legend>' + esc(c) + '</legend>' + values.map(function (v) {
        return '<label><input type="checkbox" value="' + esc(key(v)) + '"' + (off[key(v)] ? '' : ' checked') + '> '
            + esc(fmt(v)) + '</label>';
      }).join(' ') + '</fieldset>';
    });
    h += '<button type="button" class="reset">show every point</button>';
    this.controls.innerHTML = h;
  };

  View.prototype.onControl = function (t) {
    var s = this.state;
    if (t.classList.contains('colour')) {
      s.colour = t.value;
      s.colourChosen = true;
    }
    else if (t.classList.contains('hx')) {
      s.x = t.value;
      s.chosen = true;
      if (s.y === s.x) s.y = '';
    } else if (t.classList.contains('hy')) {
      s.y = t.value === s.x ? '' : t.value;
      s.chosen = true;
    }
    else if (t.type === 'checkbox') {
      var c = t.closest('fieldset').getAttribute('data-filter');
      var off = s.filters[c] || (s.filters[c] = {});
      if (t.checked) delete off[t.value]; else off[t.value] = true;
    }
    this.drawAll();
  };

  /** Row indices that pass the filters by setting. */
  View.prototype.filtered = function () {
    var n = this.column('point_id').length, out = [], f = this.state.filters, self = this;
    var cols = Object.keys(f).filter(function (c) { return Object.keys(f[c]).length && self.column(c); });
    for (var i = 0; i < n; i++) {
      var ok = true;
      for (var k = 0; k < cols.length && ok; k++) if (f[cols[k]][key(this.column(cols[k])[i])]) ok = false;
      if (ok) out.push(i);
    }
    return out;
  };

  /** The colour of each row by the colour column, and the legend's HTML. */
  View.prototype.colouring = function () {
    var c = this.state.colour, values = c === 'status' ? this.column('status') : this.column(c) || [], info = this.info(c);
    if (c !== 'status' && info.numeric) {
      var lo = Infinity, hi = -Infinity, log = info.log;
      values.forEach(function (v) {
        var x = num(v);
        if (isFinite(x) && (!log || x > 0)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
      });
      var f = function (x) { return log ? Math.log(x) : x; };
      var colourOf = function (i) {
        var x = num(values[i]);
        if (!isFinite(x) || (log && x <= 0) || !isFinite(lo)) return '#999';
        return hi > lo ? ramp((f(x) - f(lo)) / (f(hi) - f(lo))) : ramp(0.5);
      };
      var legend = isFinite(lo) ? esc(fmt(lo)) + ' <span style="display:inline-block;width:120px;height:10px;background:linear-gradient(to right,'
          + RAMP.join(',') + ')"></span> ' + esc(fmt(hi)) + (log ? ' (log)' : '') : 'no values';
      return { of: colourOf, legend: legend };
    }
    var order = c === 'status' ? ['OK', 'DIVERGED', 'FAILED'] : (info.values || []).map(key);
    values.forEach(function (v) { if (order.indexOf(key(v)) < 0) order.push(key(v)); });
    var colour = function (k) {
      return c === 'status' && STATUS_COLOURS[k] ? STATUS_COLOURS[k] : PALETTE[order.indexOf(k) % PALETTE.length];
    };
    return {
      of: function (i) { return colour(key(values[i])); },
      legend: order.slice(0, 12).map(function (k) {
        return '<span style="color:' + colour(k) + '">■</span> ' + esc(k);
      }).join(' ')
    };
  };

  /** A point's description for tooltips: id, status, the varying settings. */
  View.prototype.describe = function (i) {
    var d = this.data, self = this;
    var s = '<b>point ' + esc(this.column('point_id')[i]) + '</b> (' + esc(this.column('status')[i]) + ')<br>';
    s += d.settings.map(function (c) { return esc(c) + ' = ' + esc(fmt(self.column(c)[i])); }).join(', ');
    var err = this.column('error') && this.column('error')[i];
    if (err) s += '<br><span style="color:#b2182b">' + esc(err.slice(0, 160)) + '</span>';
    return s;
  };

  View.prototype.metricLines = function (i, metrics) {
    var self = this;
    return metrics.filter(function (m) { return self.column(m); }).map(function (m) {
      return esc(m) + ' = ' + esc(fmt(self.column(m)[i]));
    }).join('<br>');
  };

  View.prototype.chart = function (name, elem) {
    var c = this.charts[name];
    if (c && c.getDom() !== elem) { c.dispose(); c = null; }
    if (!c) c = this.charts[name] = echarts.init(elem);
    return c;
  };

  View.prototype.drawAll = function () {
    var filtered = this.filtered();
    this.colours = this.colouring();
    var legend = this.controls.querySelector('.legend');
    if (legend) legend.innerHTML = this.colours.legend;
    this.drawParallel(filtered);
    this.drawSelected(filtered);
  };

  /** Every view but the parallel coordinates, for the rows that pass the filters and the brushing. */
  View.prototype.drawSelected = function (filtered) {
    var brushed = this.brushed;
    var selected = brushed ? filtered.filter(function (i) { return brushed[i]; }) : filtered;
    var n = this.column('point_id').length;
    this.selection.innerHTML = '<b>' + selected.length + '</b> of ' + n + ' points selected'
        + (selected.length < n ? ' (' + [filtered.length < n ? 'filters by setting' : '', brushed ? 'brushing' : '']
            .filter(Boolean).join(' and ') + ')' : '');
    this.selection.setAttribute('data-selected', selected.length);
    this.selection.setAttribute('data-points', n);
    this.drawHeatmaps(selected);
    this.drawDiagram(selected);
    this.drawTrajectories(selected);
    this.drawDensity(selected);
    this.drawTable(selected);
    this.drawCorrelation(selected);
  };

  // ---------------------------------------------------------------- parallel coordinates

  View.prototype.drawParallel = function (rows) {
    var d = this.data, self = this;
    var dims = d.settings.concat(d.metrics);
    var show = dims.length >= 2;
    this.pcTitle.style.display = this.pcBox.style.display = show ? '' : 'none';
    if (!show) { this.brushed = null; return; }
    this.pcEl.style.width = Math.max(this.pcBox.clientWidth || 800, dims.length * 90) + 'px';
    var axes = dims.map(function (c, k) {
      var info = self.info(c);
      var a = { dim: k, id: 'ax-' + c, name: c, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10, formatter: function (v) { return fmt(v); } } };
      if (!info.numeric) {
        a.type = 'category';
        a.data = (info.values || []).map(key);
      } else {
        a.type = info.log ? 'log' : 'value';
        a.scale = true;
      }
      return a;
    });
    var colour = this.colours.of;
    var data = rows.map(function (i) {
      return {
        value: dims.map(function (c) {
          var v = self.column(c)[i], info = self.info(c);
          if (!info.numeric) return key(v);
          var x = num(v);
          return isFinite(x) && (!info.log || x > 0) ? x : '-';
        }),
        lineStyle: { color: colour(i) }
      };
    });
    var chart = this.chart('pc', this.pcEl);
    this.pcRows = rows;
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: 'item', confine: true,
        formatter: function (p) {
          var i = self.pcRows[p.dataIndex];
          return self.describe(i) + '<br>' + self.metricLines(i, d.metrics);
        }
      },
      parallel: { left: 50, right: 80, top: 50, bottom: 30, parallelAxisDefault: { nameLocation: 'end', nameGap: 14, realtime: true } },
      parallelAxis: axes,
      series: [{ type: 'parallel', lineStyle: { width: 1.5, opacity: 0.7 }, inactiveOpacity: 0.04, activeOpacity: 1, data: data }]
    }, true);
    chart.resize();
    if (!this.pcListening) {
      this.pcListening = true;
      chart.on('axisareaselected', function (p) {
        if (self.restoring) return;
        var c = String(p.parallelAxisId || '').replace(/^ax-/, '');
        if (p.intervals && p.intervals.length) self.state.brush[c] = p.intervals; else delete self.state.brush[c];
        self.readBrush();
        self.drawSelected(self.pcRows);
      });
    }
    // the brushing survives a redraw (new rows, filters, colours): intervals are given back to their axes
    this.restoring = true;
    Object.keys(this.state.brush).forEach(function (c) {
      if (dims.indexOf(c) < 0) return;
      chart.dispatchAction({ type: 'axisAreaSelect', parallelAxisId: 'ax-' + c, intervals: self.state.brush[c] });
    });
    this.restoring = false;
    this.readBrush();
  };

  /** The rows the brushing keeps, by row index; null when no axis is brushed. */
  View.prototype.readBrush = function () {
    var dims = this.data.settings.concat(this.data.metrics), s = this.state;
    var brushed = Object.keys(s.brush).filter(function (c) { return dims.indexOf(c) >= 0; });
    if (!brushed.length || !this.charts.pc) { this.brushed = null; return; }
    var series = this.charts.pc.getModel().getSeriesByIndex(0);
    var active = series.getRawIndicesByActiveState('active'), rows = this.pcRows, out = {};
    active.forEach(function (k) { out[rows[k]] = true; });
    this.brushed = out;
  };

  // ---------------------------------------------------------------- heatmaps

  View.prototype.drawHeatmaps = function (selected) {
    var d = this.data, s = this.state, self = this;
    var show = d.axes.length > 0 && d.heatmapMetrics.length > 0;
    this.heatTitle.style.display = this.heatBox.style.display = show ? '' : 'none';
    var skipped = d.metrics.length ? ['sharpness', 'nonuniformity', 'gen_gap_loss', 'gen_gap_acc', 'test_acc']
        .filter(function (m) { return d.heatmapMetrics.indexOf(m) < 0; }) : [];
    this.heatNote.textContent = !d.axes.length ? 'No grid axis varies in this sweep: no heatmap.'
        : 'One cell per grid value: the mean over the selected OK points of the cell (the other axes and seed replicates '
        + 'averaged). Red: every point of the cell diverged; grey: every point failed; blank: no selected point.'
        + (skipped.length ? ' Not drawn, no value at any OK point: ' + skipped.join(', ') + '.' : '');
    if (!show) return;
    var present = {};
    d.heatmapMetrics.forEach(function (m) {
      var box = self.heatBox.querySelector('.chart[data-metric="' + m + '"]');
      if (!box) {
        box = el('div', 'chart heatmap');
        box.setAttribute('data-metric', m);
        self.heatBox.appendChild(box);
      }
      present[m] = true;
      self.drawHeatmap(self.chart('heatmap-' + m, box), m, s.x, s.y || null, selected);
    });
    Array.prototype.slice.call(this.heatBox.children).forEach(function (box) {
      var m = box.getAttribute('data-metric');
      if (!present[m]) {
        if (self.charts['heatmap-' + m]) { self.charts['heatmap-' + m].dispose(); delete self.charts['heatmap-' + m]; }
        box.remove();
      }
    });
  };

  /** The cells of one heatmap: by "xIndex,yIndex", each {x, y, ok: [values], idx: [rows], diverged, failed}. */
  View.prototype.cells = function (metric, x, y, selected) {
    var xs = (this.info(x).values || []).map(key), ys = y ? (this.info(y).values || []).map(key) : [''];
    var cells = {}, status = this.column('status'), values = this.column(metric), cx = this.column(x), cy = y ? this.column(y) : null;
    selected.forEach(function (i) {
      var xi = xs.indexOf(key(cx[i])), yi = cy ? ys.indexOf(key(cy[i])) : 0;
      if (xi < 0 || yi < 0) return;
      var k = xi + ',' + yi;
      var c = cells[k] || (cells[k] = { x: xi, y: yi, ok: [], idx: [], diverged: 0, failed: 0 });
      c.idx.push(i);
      if (status[i] === 'OK') {
        var v = num(values[i]);
        if (isFinite(v)) c.ok.push(v);
      } else if (status[i] === 'DIVERGED') c.diverged++;
      else if (status[i] === 'FAILED') c.failed++;
    });
    return { xs: xs, ys: ys, cells: cells };
  };

  View.prototype.drawHeatmap = function (chart, metric, x, y, selected) {
    var self = this, info = this.info(metric), g = this.cells(metric, x, y, selected);
    var log = info.log, values = [], marked = [], byIndex = [];
    Object.keys(g.cells).forEach(function (k) {
      var c = g.cells[k];
      if (c.ok.length) {
        c.mean = mean(c.ok);
        var shown = log && c.mean > 0 ? Math.log10(c.mean) : c.mean;
        values.push([c.x, c.y, shown]);
        byIndex.push(c);
      } else if (c.diverged || c.failed) {
        marked.push({ value: [c.x, c.y, 0], itemStyle: { color: c.diverged ? STATUS_COLOURS.DIVERGED : STATUS_COLOURS.FAILED }, cell: c });
      }
    });
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { lo = Math.min(lo, v[2]); hi = Math.max(hi, v[2]); });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (hi === lo) { hi = lo + 1e-12; }
    var others = this.data.settings.filter(function (c) { return c !== x && c !== y; });
    var labelled = g.xs.length * g.ys.length <= LABELLED_CELLS;
    var tooltip = function (c) {
      var h = '<b>' + esc(info.label) + '</b><br>' + esc(x) + ' = ' + esc(g.xs[c.x]) + (y ? ', ' + esc(y) + ' = ' + esc(g.ys[c.y]) : '') + '<br>';
      h += c.ok.length ? 'mean ' + esc(fmt(c.mean)) + ' over ' + c.ok.length + ' OK point' + (c.ok.length === 1 ? '' : 's') : 'no OK point';
      h += ' of ' + c.idx.length + (c.diverged ? ', ' + c.diverged + ' diverged' : '') + (c.failed ? ', ' + c.failed + ' failed' : '');
      if (others.length) h += '<br>averaged over ' + esc(others.join(', '));
      h += c.idx.slice(0, MAX_TOOLTIP_POINTS).map(function (i) {
        return '<br>· point ' + esc(self.column('point_id')[i]) + ': ' + esc(fmt(self.column(metric)[i])) + ' (' + esc(self.column('status')[i]) + ')'
            + (others.length ? ' ' + others.map(function (o) { return esc(o) + '=' + esc(fmt(self.column(o)[i])); }).join(', ') : '');
      }).join('');
      if (c.idx.length > MAX_TOOLTIP_POINTS) h += '<br>… and ' + (c.idx.length - MAX_TOOLTIP_POINTS) + ' more';
      return h;
    };
    chart.setOption({
      animation: false,
      title: { text: info.label, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: {
        trigger: 'item', confine: true,
        formatter: function (p) { return tooltip(p.seriesIndex === 0 ? byIndex[p.dataIndex] : marked[p.dataIndex].cell); }
      },
      grid: { left: 70, right: 90, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: g.xs.map(function (v) { return fmt(num(v) === num(v) ? num(v) : v); }), name: x, nameLocation: 'middle', nameGap: 30, splitArea: { show: true } },
      yAxis: { type: 'category', data: g.ys.map(function (v) { return v === '' ? '' : fmt(num(v) === num(v) ? num(v) : v); }), name: y || '', nameLocation: 'middle', nameGap: 50, splitArea: { show: true } },
      visualMap: {
        type: 'continuous', seriesIndex: 0, min: lo, max: hi, right: 0, top: 'middle', itemHeight: 220, calculable: false,
        text: [fmt(log ? Math.pow(10, hi) : hi), fmt(log ? Math.pow(10, lo) : lo)],
        inRange: { color: RAMP }, formatter: function (v) { return fmt(log ? Math.pow(10, v) : v); }, textStyle: { fontSize: 10 }
      },
      series: [
        {
          type: 'heatmap', data: values,
          label: { show: labelled, fontSize: 10, formatter: function (p) { return fmt(byIndex[p.dataIndex].mean); } },
          emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } }
        },
        { type: 'heatmap', data: marked, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }
      ]
    }, true);
  };

  // ---------------------------------------------------------------- stability diagram

  View.prototype.drawDiagram = function (selected) {
    var d = this.data, self = this;
    var has = d.metrics.indexOf('sharpness') >= 0 && d.metrics.indexOf('nonuniformity') >= 0;
    var points = [];
    if (has) {
      var st = this.column('status'), a = this.column('sharpness'), s = this.column('nonuniformity');
      selected.forEach(function (i) {
        if (st[i] === 'OK' && isFinite(num(a[i])) && isFinite(num(s[i])) && num(a[i]) > 0 && num(s[i]) > 0) points.push(i);
      });
    }
    var show = has && points.length > 0;
    this.diagramTitle.style.display = this.diagramEl.style.display = show ? '' : 'none';
    if (!show) return;
    var sa = this.column('sharpness'), sn = this.column('nonuniformity');
    var ba = this.column('sharpness_bound') || [], bn = this.column('nonuniformity_bound') || [];
    var xmin = Infinity, ymin = Infinity, xmax = 0, ymax = 0;
    points.forEach(function (i) {
      xmin = Math.min(xmin, num(sa[i])); xmax = Math.max(xmax, num(sa[i]));
      ymin = Math.min(ymin, num(sn[i])); ymax = Math.max(ymax, num(sn[i]));
    });
    var regions = {};
    points.forEach(function (i) {
      var x = num(ba[i]), y = num(bn[i]);
      if (!isFinite(x)) return;
      var k = key(ba[i]) + '|' + key(bn[i]);
      (regions[k] || (regions[k] = { x: x, y: y, idx: [] })).idx.push(i);
      xmax = Math.max(xmax, x);
      if (isFinite(y)) ymax = Math.max(ymax, y);
    });
    // an axis is logarithmic where what it shows, points and regions, spans LOG_AXIS_RATIO (as the picture's, DiagramPainter)
    var xlog = xmax / xmin >= LOG_AXIS_RATIO, ylog = ymax / ymin >= LOG_AXIS_RATIO;
    var x0 = xlog ? xmin / 2 : 0, y0 = ylog ? ymin / 2 : 0, ytop = ymax * (ylog ? 3 : 1.15);
    var series = Object.keys(regions).map(function (k) {
      var r = regions[k], i = r.idx[0];
      var top = isFinite(r.y) ? r.y : ytop;
      return {
        type: 'line', name: 'region', silent: false, symbol: 'none', animation: false,
        lineStyle: { color: '#888', type: 'dashed', width: 1 },
        data: isFinite(r.y) ? [[x0, top], [r.x, top], [r.x, y0]] : [[r.x, ytop], [r.x, y0]],
        tooltip: {
          formatter: function () {
            return 'stability region of lr = ' + esc(fmt(self.column('lr') ? self.column('lr')[i] : NaN))
                + (self.column('batch_size') ? ', B = ' + esc(fmt(self.column('batch_size')[i])) : '')
                + ':<br>sharpness ≤ ' + esc(fmt(r.x)) + ', non-uniformity ≤ ' + esc(fmt(r.y)) + '<br>' + r.idx.length + ' selected point(s)';
          }
        }
      };
    });
    var colour = this.colours.of;
    var outside = function (i) {
      return num(sa[i]) > num(ba[i]) || num(sn[i]) > num(bn[i]);
    };
    series.push({
      type: 'scatter', name: 'points', symbolSize: 9,
      data: points.map(function (i) {
        var out = outside(i);
        return { value: [num(sa[i]), num(sn[i])], symbol: out ? 'diamond' : 'circle',
          itemStyle: { color: colour(i), borderColor: out ? '#d62728' : '#fff', borderWidth: out ? 2 : 0.5 } };
      }),
      tooltip: {
        formatter: function (p) {
          var i = points[p.dataIndex];
          return self.describe(i) + '<br>' + self.metricLines(i, ['sharpness', 'sharpness_bound', 'nonuniformity', 'nonuniformity_bound',
            'stability_max_eig']) + (outside(i) ? '<br><b>outside its stability region</b>' : '');
        }
      }
    });
    this.chart('diagram', this.diagramEl).setOption({
      animation: false,
      tooltip: { trigger: 'item', confine: true },
      grid: { left: 80, right: 30, top: 20, bottom: 55 },
      xAxis: { type: xlog ? 'log' : 'value', name: 'sharpness λmax(H)', nameLocation: 'middle', nameGap: 30, min: x0 || undefined,
        max: xlog ? xmax * 2 : undefined, axisLabel: { formatter: function (v) { return fmt(v); } } },
      yAxis: { type: ylog ? 'log' : 'value', name: 'non-uniformity', nameLocation: 'middle', nameGap: 55, min: y0 || undefined,
        max: ylog ? ytop : undefined, axisLabel: { formatter: function (v) { return fmt(v); } } },
      series: series
    }, true);
  };

  // ---------------------------------------------------------------- trajectories and densities

  View.prototype.selectedPoints = function (selected) {
    var ids = {}, pid = this.column('point_id');
    selected.forEach(function (i) { ids[pid[i]] = i; });
    return ids;
  };

  View.prototype.drawTrajectories = function (selected) {
    var t = this.data.trajectories, self = this;
    this.trajTitle.style.display = this.trajEl.style.display = t ? '' : 'none';
    if (!t) return;
    var ids = this.selectedPoints(selected), colour = this.colours.of;
    var lines = t.lines.filter(function (l) { return ids[l.point] !== undefined; });
    var series = lines.map(function (l) {
      var i = ids[l.point];
      return {
        type: 'line', name: l.point, showSymbol: false, triggerLineEvent: true, animation: false,
        lineStyle: { color: colour(i), width: 1.3 }, itemStyle: { color: colour(i) }, emphasis: { focus: 'series' },
        data: l.step.map(function (s, k) { return [s, l.value[k]]; })
      };
    });
    var bounds = t.bounds || [];
    if (bounds.length) {
      series.push({
        type: 'line', name: '2/lr', data: [], silent: true,
        markLine: {
          symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#555' },
          label: { formatter: function (p) { return '2/lr, lr = ' + fmt(2 / p.value); }, fontSize: 10 },
          data: bounds.map(function (b) { return { yAxis: b.value }; })
        }
      });
    }
    this.chart('trajectories', this.trajEl).setOption({
      animation: false,
      tooltip: {
        trigger: 'item', confine: true,
        formatter: function (p) {
          var l = lines[p.seriesIndex];
          if (!l) return '';
          var h = self.describe(ids[l.point]);
          if (p.value && p.value.length === 2) h += '<br>step ' + esc(fmt(p.value[0])) + ': ' + esc(t.metric) + ' = ' + esc(fmt(p.value[1]));
          return h;
        }
      },
      grid: { left: 80, right: 30, top: 20, bottom: 55 },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: t.log ? 'log' : 'value', name: t.label, nameLocation: 'middle', nameGap: 55, scale: true,
        axisLabel: { formatter: function (v) { return fmt(v); } } },
      series: series
    }, true);
  };

  View.prototype.drawDensity = function (selected) {
    var dd = this.data.density, self = this;
    this.densityTitle.style.display = this.densityEl.style.display = dd ? '' : 'none';
    if (!dd) return;
    var ids = this.selectedPoints(selected), colour = this.colours.of;
    var curves = dd.curves.filter(function (c) { return ids[c.point] !== undefined; });
    var top = 0;
    curves.forEach(function (c) { c.y.forEach(function (y) { if (y > top) top = y; }); });
    var floor = top * 1e-8;
    this.chart('density', this.densityEl).setOption({
      animation: false,
      tooltip: {
        trigger: 'item', confine: true,
        formatter: function (p) {
          var c = curves[p.seriesIndex];
          if (!c) return '';
          var h = self.describe(ids[c.point]) + '<br>step ' + c.step + (c.sharpness !== null ? ', sharpness ' + esc(fmt(c.sharpness)) : '');
          if (p.value && p.value.length === 2) h += '<br>density ' + esc(fmt(p.value[1])) + ' at eigenvalue ' + esc(fmt(p.value[0]));
          return h;
        }
      },
      grid: { left: 80, right: 30, top: 20, bottom: 55 },
      xAxis: { type: 'value', name: 'eigenvalue of H', nameLocation: 'middle', nameGap: 30, scale: true },
      yAxis: { type: 'log', name: 'density', nameLocation: 'middle', nameGap: 55, min: floor || undefined,
        axisLabel: { formatter: function (v) { return fmt(v); } } },
      series: curves.map(function (c) {
        var i = ids[c.point];
        return {
          type: 'line', name: c.point, showSymbol: false, triggerLineEvent: true, animation: false,
          lineStyle: { color: colour(i), width: 1.3 }, itemStyle: { color: colour(i) }, emphasis: { focus: 'series' },
          data: c.x.map(function (x, k) { return [x, c.y[k] > floor ? c.y[k] : null]; })
        };
      })
    }, true);
  };

  // ---------------------------------------------------------------- points table

  View.prototype.drawTable = function (selected) {
    var d = this.data, self = this;
    var metrics = TABLE_METRICS.filter(function (m) { return d.metrics.indexOf(m) >= 0; });
    var cols = ['point_id', 'status'].concat(d.settings).concat(metrics);
    var h = '<table class="points"><tr>' + cols.map(function (c) { return '<th>' + esc(c) + '</th>'; }).join('') + '<th>error</th></tr>';
    selected.slice(0, MAX_TABLE_ROWS).forEach(function (i) {
      var st = self.column('status')[i];
      h += '<tr class="' + esc(String(st).toLowerCase()) + '" data-point="' + esc(self.column('point_id')[i]) + '">'
          + cols.map(function (c, k) {
            var v = self.column(c)[i];
            return k < 2 ? '<td><code>' + esc(fmt(v)) + '</code></td>' : '<td class="num">' + esc(fmt(v)) + '</td>';
          }).join('') + '<td>' + esc(self.column('error')[i] || '') + '</td></tr>';
    });
    h += '</table>';
    if (selected.length > MAX_TABLE_ROWS) h += '<p class="muted">The first ' + MAX_TABLE_ROWS + ' of ' + selected.length + ' are listed.</p>';
    this.table.innerHTML = h;
  };

  // ---------------------------------------------------------------- correlations

  /**
   * Kendall's tau-b of x against y (Kendall.java's definition and method: sort by (x, y), count
   * the inversions a merge sort by y makes, remove the tied pairs from the denominator); NaN
   * when n < 2 or either side is constant.
   */
  function tauB(x, y) {
    var n = x.length;
    if (n < 2) return NaN;
    var idx = [];
    for (var i = 0; i < n; i++) idx.push(i);
    idx.sort(function (a, b) { return x[a] !== x[b] ? (x[a] < x[b] ? -1 : 1) : (y[a] === y[b] ? 0 : y[a] < y[b] ? -1 : 1); });
    var n0 = n * (n - 1) / 2, n1 = 0, n3 = 0, runX = 1, runXY = 1, ys = [idx.length ? y[idx[0]] : 0];
    for (var k = 1; k < n; k++) {
      var a = idx[k - 1], b = idx[k];
      ys.push(y[b]);
      if (x[a] === x[b]) {
        runX++;
        if (y[a] === y[b]) runXY++; else { n3 += runXY * (runXY - 1) / 2; runXY = 1; }
      } else {
        n1 += runX * (runX - 1) / 2;
        n3 += runXY * (runXY - 1) / 2;
        runX = 1;
        runXY = 1;
      }
    }
    n1 += runX * (runX - 1) / 2;
    n3 += runXY * (runXY - 1) / 2;
    var swaps = inversions(ys, new Array(n), 0, n), n2 = 0, runY = 1;
    for (k = 1; k < n; k++) {
      if (ys[k] === ys[k - 1]) runY++; else { n2 += runY * (runY - 1) / 2; runY = 1; }
    }
    n2 += runY * (runY - 1) / 2;
    var d = Math.sqrt((n0 - n1) * (n0 - n2));
    return d === 0 ? NaN : (n0 - n1 - n2 + n3 - 2 * swaps) / d;
  }

  /** Sorts a[lo, hi) ascending; the number of pairs it found out of order. */
  function inversions(a, tmp, lo, hi) {
    if (hi - lo < 2) return 0;
    var mid = (lo + hi) >>> 1, swaps = inversions(a, tmp, lo, mid) + inversions(a, tmp, mid, hi), i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
      if (a[j] < a[i]) { swaps += mid - i; tmp[k++] = a[j++]; } else tmp[k++] = a[i++];
    }
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    for (k = lo; k < hi; k++) a[k] = tmp[k];
    return swaps;
  }

  /** A coefficient as the report writes it (Format.number with 3 significant digits). */
  function coef(v) {
    if (isNaN(v)) return 'NaN';
    if (!isFinite(v)) return v > 0 ? '∞' : '-∞';
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(3)));
    return v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }

  /**
   * The correlation table (written by Report.writeCorrelation over all OK points), computed again
   * over the OK points of the selection, as GranulatedKendall.java does: tau-b over the points
   * with both values, psi per axis the mean tau over the groups of points equal in every other
   * axis and held-fixed column (groups of one point or with an undefined tau skipped), Psi the
   * mean of the defined psi. With nothing selected away, the table is the report's.
   */
  View.prototype.drawCorrelation = function (selected) {
    var table = this.section.querySelector('.text-bottom table.correlation');
    if (!table) return;
    var self = this, status = this.column('status'), n = this.column('point_id').length;
    var scope = this.section.querySelector('.text-bottom .correlation-scope');
    var rows = table.querySelectorAll('tr[data-measure]');
    if (!table.original) { // the report's cells, put back when the selection is everything again
      table.original = Array.prototype.map.call(table.querySelectorAll('td[data-c]'), function (td) { return td.textContent; });
    }
    var cells = table.querySelectorAll('td[data-c]');
    if (selected.length === n) {
      Array.prototype.forEach.call(cells, function (td, k) { td.textContent = table.original[k]; });
      if (scope) scope.textContent = 'Over all OK points.';
      table.setAttribute('data-scope', 'all');
      return;
    }
    var ok = selected.filter(function (i) { return status[i] === 'OK'; });
    var split = function (a) { return a ? a.split(',') : []; };
    var axes = split(table.getAttribute('data-axes')), held = split(table.getAttribute('data-held'));
    var target = this.column(table.getAttribute('data-target')) || [];
    var all = axes.concat(held);
    var groupKey = function (i, others) {
      return others.map(function (c) { var col = self.column(c); return key(col ? col[i] : null); }).join('\u0001');
    };
    Array.prototype.forEach.call(rows, function (tr) {
      var measure = self.column(tr.getAttribute('data-measure')) || [];
      var pts = ok.filter(function (i) { return num(measure[i]) === num(measure[i]) && num(target[i]) === num(target[i]); });
      var of = function (idx) {
        return tauB(idx.map(function (i) { return num(measure[i]); }), idx.map(function (i) { return num(target[i]); }));
      };
      var psi = {}, sum = 0, defined = 0;
      axes.forEach(function (axis) {
        var others = all.filter(function (c) { return c !== axis; }), groups = {}, s = 0, count = 0;
        pts.forEach(function (i) { var g = groupKey(i, others); (groups[g] = groups[g] || []).push(i); });
        Object.keys(groups).forEach(function (g) {
          if (groups[g].length < 2) return;
          var t = of(groups[g]);
          if (t !== t) return;
          s += t;
          count++;
        });
        psi[axis] = count ? s / count : NaN;
        if (count) { sum += psi[axis]; defined++; }
      });
      var values = { n: String(pts.length), tau: coef(of(pts)), psimean: coef(defined ? sum / defined : NaN) };
      Array.prototype.forEach.call(tr.querySelectorAll('td[data-c]'), function (td) {
        var c = td.getAttribute('data-c');
        td.textContent = c === 'psi' ? coef(psi[td.getAttribute('data-axis')]) : values[c];
      });
    });
    if (scope) scope.textContent = 'Over the ' + ok.length + ' OK points of the selection.';
    table.setAttribute('data-scope', 'selection');
  };

  View.prototype.resize = function () {
    var c = this.charts;
    Object.keys(c).forEach(function (k) { c[k].resize(); });
  };

  View.prototype.dispose = function () {
    var c = this.charts;
    Object.keys(c).forEach(function (k) { c[k].dispose(); });
    this.charts = {};
  };

  // ---------------------------------------------------------------- the page

  /** Draws a model: the header, and per sweep its text (when the model carries it) and its views. */
  function apply(model, fresh) {
    document.title = model.title;
    var main = document.getElementById('sweeps');
    if (!fresh) document.getElementById('page-header').innerHTML = model.header;
    var seen = {};
    model.sweeps.forEach(function (s) {
      seen[s.id] = true;
      var section = null, created = false;
      Array.prototype.forEach.call(main.children, function (c) { if (c.getAttribute('data-sweep') === s.id) section = c; });
      if (!section) {
        section = el('section');
        section.setAttribute('data-sweep', s.id);
        section.innerHTML = '<div class="text-top"></div><div class="explore"></div><div class="text-bottom"></div>';
        created = true;
      }
      main.appendChild(section); // in model order
      section.id = s.anchor;
      if (!fresh || created) {
        section.querySelector('.text-top').innerHTML = s.top;
        section.querySelector('.text-bottom').innerHTML = s.bottom;
      }
      var v = views[s.id] || (views[s.id] = new View(section));
      v.update(s.data);
    });
    Array.prototype.slice.call(main.children).forEach(function (c) {
      var id = c.getAttribute('data-sweep');
      if (!seen[id]) {
        if (views[id]) { views[id].dispose(); delete views[id]; }
        c.remove();
      }
    });
    document.body.setAttribute('data-model-version', model.version);
  }

  function status(text, lost) {
    var s = document.getElementById('live-status');
    if (!s) {
      s = el('div');
      s.id = 'live-status';
      document.body.appendChild(s);
    }
    s.textContent = text;
    s.className = lost ? 'lost' : '';
  }

  /** Fetches the model every POLL_MS; the server answers 204 while it has not changed. */
  function poll(version) {
    var tick = function () {
      fetch('model.json?since=' + version, { cache: 'no-store' }).then(function (r) {
        if (r.status === 204) return null;
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      }).then(function (m) {
        if (m) {
          version = m.version;
          apply(m, false);
        }
        status('live · checked ' + new Date().toLocaleTimeString(), false);
      }).catch(function (e) {
        status('live · server unreachable (' + e.message + '), retrying', true);
      }).then(function () {
        setTimeout(tick, POLL_MS);
      });
    };
    status('live', false);
    setTimeout(tick, POLL_MS);
  }

  function start() {
    var model = JSON.parse(document.getElementById('sharpsweep-model').textContent);
    if (typeof echarts === 'undefined') {
      document.body.setAttribute('data-error', 'the plotting library did not load');
      return;
    }
    apply(model, true);
    window.addEventListener('resize', function () {
      Object.keys(views).forEach(function (k) { views[k].resize(); });
    });
    if (document.body.getAttribute('data-live') === 'true') poll(model.version);
  }

  start();

  window.addEventListener('load', function () {
    var imgs = document.images, ok = 0;
    for (var i = 0; i < imgs.length; i++) {
      if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++; else imgs[i].className += ' broken';
    }
    document.body.setAttribute('data-images-loaded', ok + '/' + imgs.length);
  });
})();
