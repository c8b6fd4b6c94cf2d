// A line chart over time as plain SVG: one or two series aligned with `t`, null where no sample.
// The SVG stretches to its box (non-scaling strokes); labels are HTML over it, so text never distorts.

const W = 300, H = 100;

/**
 * @param testid  data-testid of the svg (chart-cpu …); data-points says how many samples it draws
 * @param t       epoch ms of each sample
 * @param series  [{label, values, cls}]
 * @param format  number → text for the axis and the legend
 */
export function Chart({ testid, title, t = [], series = [], format = String, min = 0 }) {
  let points = 0;
  for (let i = 0; i < t.length; i++) if (series.some((s) => s.values && s.values[i] != null)) points++;
  // From the first sample (at least the last 5 minutes), not the start of an hour still empty.
  const tMax = t.length ? t[t.length - 1] : 0;
  let tFirst = tMax;
  for (let i = 0; i < t.length; i++) if (series.some((s) => s.values && s.values[i] != null)) { tFirst = t[i]; break; }
  const tMin = t.length ? Math.min(tFirst, tMax - 5 * 60 * 1000) : 0;
  let top = min;
  for (const s of series) for (const v of s.values || []) if (v != null && v > top) top = v;
  const yMax = top * 1.15 || 1;
  const x = (ms) => ((ms - tMin) / Math.max(1, tMax - tMin)) * W;
  const y = (v) => (1 - v / yMax) * H;
  const path = (values) => {
    let d = '', pen = false;
    for (let i = 0; i < t.length; i++) {
      const v = values[i];
      if (v == null) { pen = false; continue; }
      // a lone sample still shows: a short flat stroke
      const next = values[i + 1];
      d += (pen ? 'L' : 'M') + x(t[i]).toFixed(1) + ' ' + y(v).toFixed(1) + (!pen && next == null ? 'h1.5' : '');
      pen = true;
    }
    return d;
  };
  const lastOf = (values) => { for (let i = (values || []).length - 1; i >= 0; i--) if (values[i] != null) return values[i]; return null; };
  const minutes = t.length ? Math.round((tMax - tMin) / 60000) : 0;
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{title}</span>
        {series.map((s) => (
          <span class={'legend ' + s.cls} key={s.label}>{s.label} {lastOf(s.values) == null ? '–' : format(lastOf(s.values))}</span>
        ))}
      </figcaption>
      <div class="plot">
        <svg data-testid={testid} data-points={points} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={title}>
          {[0.25, 0.5, 0.75].map((f) => <line key={f} class="grid" x1="0" x2={W} y1={H * f} y2={H * f} />)}
          {points > 0 && series.map((s) => <path key={s.label} class={'line ' + s.cls} d={path(s.values || [])} />)}
        </svg>
        {points > 0 ? (
          <>
            <span class="tick t-top">{format(top)}</span>
            <span class="tick t-left">{minutes}m ago</span>
            <span class="tick t-right">now</span>
          </>
        ) : <span class="nodata">no data yet</span>}
      </div>
    </figure>
  );
}
