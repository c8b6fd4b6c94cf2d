// Small building blocks shared by the pages.
import { ago, stamp } from './format.js';

export function Page({ title, sub, actions, children }) {
  return (
    <section class="page">
      <div class="page-head">
        <div>
          <h1>{title}</h1>
          {sub && <p class="sub">{sub}</p>}
        </div>
        {actions && <div class="actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Card({ title, extra, children, class: cls = '' }) {
  return (
    <div class={'card ' + cls}>
      {(title || extra) && <div class="card-head"><h2>{title}</h2>{extra}</div>}
      {children}
    </div>
  );
}

const tone = {
  running: 'ok', ready: 'ok', healthy: 'ok', succeeded: 'ok', started: 'info', canary: 'warn', progressing: 'info',
  rolling: 'info', claimed: 'info', unclaimed: 'warn', starting: 'info', crashed: 'bad', degraded: 'bad', down: 'bad', failed: 'bad',
  aborted: 'warn', exited: 'muted', created: 'muted', stopped: 'muted', removing: 'warn', denied: 'bad', ok: 'ok',
};

export function Pill({ children, state }) {
  const s = String(state ?? children).toLowerCase();
  return <span class={'pill ' + (tone[s] || 'muted')}>{children}</span>;
}

export function Empty({ children }) {
  return <p class="empty">{children}</p>;
}

export function Loading({ what }) {
  return <p class="empty">Loading {what}…</p>;
}

export function When({ at }) {
  return <time datetime={at} title={stamp(at)}>{ago(at)}</time>;
}

/** A horizontal bar from 0 to 100 %. */
export function Meter({ value, label }) {
  const v = value == null ? 0 : Math.max(0, Math.min(100, value));
  return (
    <span class="meter" title={label}>
      <span class={'meter-bar' + (v > 85 ? ' hot' : '')} style={{ width: v + '%' }} />
    </span>
  );
}

export function Labels({ labels }) {
  const entries = Object.entries(labels || {});
  if (!entries.length) return <span class="muted">–</span>;
  return <span class="chips">{entries.map(([k, v]) => <span class="chip" key={k}>{k}={v}</span>)}</span>;
}

/** A table that scrolls sideways on a narrow screen instead of squeezing. */
export function Table({ head, children, testid, class: cls = '' }) {
  return (
    <div class="table-wrap">
      <table class={cls} data-testid={testid}>
        <thead><tr>{head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
