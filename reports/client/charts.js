// The page's only script: draws the chart specs embedded as JSON (reports/charts.ts) with
// uPlot, inlined above it. Shades fault windows, draws thresholds, labels log axes.
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const STATES = ['closed', 'half-open', 'open', 'isolated'];
  const num = (v, digits = 3) =>
    v == null
      ? ''
      : Math.abs(v) >= 1000
        ? Math.round(v).toLocaleString('en-US')
        : String(Number(v.toPrecision(digits)));
  const FORMATS = {
    ms: (v) => `${num(v)} ms`,
    count: (v) => num(v),
    perS: (v) => `${num(v)}/s`,
    pct: (v) => `${num(v)}%`,
    mib: (v) => `${num(v)} MiB`,
    state: (v) => (v == null ? '' : (STATES[v] ?? '')),
  };
  const alpha = (hex, a) => {
    const n = Number.parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
  };
  // Log axes get one grid line per decade: uPlot's default 1..9 per decade reads as noise.
  const decades = (min, max) => {
    const out = [];
    for (let e = Math.floor(Math.log10(min)); 10 ** e <= max * 1.0001; e++) {
      if (10 ** e >= min * 0.9999) out.push(10 ** e);
    }
    return out;
  };
  const logSplits = (_u, _axis, min, max) => decades(min, max);
  // 1/(1-p) -> "99.9%": the HdrHistogram plot axis.
  const percentileLabel = (x) => `${Number((100 * (1 - 1 / x)).toPrecision(6))}%`;

  function overlay(spec) {
    return {
      hooks: {
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            for (const w of spec.windows) {
              const x0 = u.valToPos(w.from, 'x', true);
              const x1 = u.valToPos(w.to, 'x', true);
              ctx.fillStyle = alpha(w.color, 0.1);
              ctx.fillRect(x0, bbox.top, Math.max(1, x1 - x0), bbox.height);
            }
          },
        ],
        draw: [
          (u) => {
            const { ctx, bbox } = u;
            const px = devicePixelRatio;
            ctx.save();
            ctx.font = `${11 * px}px system-ui, sans-serif`;
            const labelled = new Set();
            for (const w of spec.windows) {
              if (labelled.has(w.step)) continue;
              labelled.add(w.step);
              ctx.fillStyle = '#555';
              ctx.fillText(
                `F${w.step + 1}`,
                u.valToPos(w.from, 'x', true) + 3 * px,
                bbox.top + 12 * px,
              );
            }
            for (const t of spec.thresholds) {
              const y = u.valToPos(t.value, 'y', true);
              if (y < bbox.top || y > bbox.top + bbox.height) continue;
              ctx.strokeStyle = t.color;
              ctx.setLineDash([6 * px, 3 * px]);
              ctx.lineWidth = 1.5 * px;
              ctx.beginPath();
              ctx.moveTo(bbox.left, y);
              ctx.lineTo(bbox.left + bbox.width, y);
              ctx.stroke();
              ctx.fillStyle = t.color;
              ctx.textAlign = 'right';
              ctx.fillText(t.label, bbox.left + bbox.width - 4 * px, y - 4 * px);
              ctx.textAlign = 'left';
            }
            ctx.restore();
          },
        ],
      },
    };
  }

  function options(spec, width) {
    const fmt = FORMATS[spec.y.format];
    const spectrum = spec.kind === 'spectrum';
    const yScale = spec.y.log ? { distr: 3, log: 10 } : { auto: true };
    if (spec.y.format === 'state') Object.assign(yScale, { auto: false, range: [-0.2, 2.4] });
    return {
      width,
      height: 240,
      plugins: [overlay(spec)],
      // Markers show each series' dash, which carries as much meaning as its colour here.
      legend: {
        live: false,
        markers: {
          width: 2,
          dash: (_u, i) => {
            const d = spec.series[i - 1]?.dash ?? [];
            return d.length === 0 ? 'solid' : d[0] <= 2 ? 'dotted' : 'dashed';
          },
        },
      },
      scales: { x: spectrum ? { time: false, distr: 3, log: 10 } : { time: false }, y: yScale },
      axes: [
        {
          label: spectrum ? 'percentile (log scale of 1/(1−p))' : 'seconds since start',
          splits: spectrum ? logSplits : undefined,
          values: (_u, splits) => splits.map((v) => (spectrum ? percentileLabel(v) : `${v}s`)),
        },
        {
          label: spec.y.label,
          size: 80,
          splits: spec.y.format === 'state' ? () => [0, 1, 2] : spec.y.log ? logSplits : undefined,
          values: (_u, splits) => splits.map((v) => (v == null ? '' : fmt(v))),
        },
      ],
      series: [
        {
          label: spectrum ? 'percentile' : 'time',
          value: (_u, v) => (v == null ? '' : spectrum ? percentileLabel(v) : `${v}s`),
        },
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          dash: s.dash?.length ? s.dash : undefined,
          spanGaps: spectrum,
          paths: s.step ? uPlot.paths.stepped({ align: 1 }) : undefined,
          value: (_u, v) => (v == null ? '–' : fmt(v)),
        })),
      ],
    };
  }

  let drawn = 0;
  for (const spec of data.charts) {
    const el = document.getElementById(`chart-${spec.id}`);
    if (!el) continue;
    if (spec.x.length === 0 || spec.series.length === 0) {
      el.classList.add('empty');
      el.textContent = 'No data in these results.';
      continue;
    }
    const width = Math.max(320, el.clientWidth);
    new uPlot(options(spec, width), [spec.x, ...spec.series.map((s) => s.values)], el);
    drawn++;
  }
  window.__huntChartsDrawn = drawn;
})();
