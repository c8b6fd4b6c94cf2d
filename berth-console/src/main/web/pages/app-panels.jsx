// The app page's live panels: charts over the last hour and the followed logs.
import { useState, useEffect, useRef } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Card } from '../ui.jsx';
import { Chart } from '../chart.jsx';
import { bytes, percent, rate } from '../format.js';

export function Metrics({ name }) {
  const m = useApi(`/v1/metrics/apps/${encodeURIComponent(name)}?since=1h`, { optional: true, every: 10000 });
  const s = (m.data && m.data.series) || {};
  return (
    <Card title="Last hour" extra={<span class="muted">{m.data ? `every ${m.data.interval_seconds}s` : m.missing ? 'no metrics on this manager yet' : ''}</span>}>
      <div class="charts">
        <Chart testid="chart-cpu" title="CPU (100% = 1 core)" t={s.t} series={[{ label: 'cpu', values: s.cpu_percent, cls: 's1' }]} format={percent} />
        <Chart testid="chart-memory" title="Memory" t={s.t} series={[{ label: 'used', values: s.memory_bytes, cls: 's2' }]} format={bytes} />
        <Chart testid="chart-network" title="Network" t={s.t} format={rate}
          series={[{ label: 'rx', values: s.net_rx_bytes_per_second, cls: 's1' }, { label: 'tx', values: s.net_tx_bytes_per_second, cls: 's3' }]} />
      </div>
    </Card>
  );
}

const MAX_LINES = 1000;

/** The instances' logs, followed: a streamed text/plain body, restarted when the set of running instances changes. */
export function Logs({ name, generation }) {
  const [lines, setLines] = useState([]);
  const [state, setState] = useState('connecting');
  const pre = useRef(null);
  const stick = useRef(true);
  useEffect(() => {
    const ctl = new AbortController();
    let stopped = false;
    (async () => {
      while (!stopped) {
        try {
          const res = await api(`/v1/apps/${encodeURIComponent(name)}/logs?follow=true&tail=100`, { raw: true, quiet: true, signal: ctl.signal });
          setLines([]);
          setState('following');
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let part = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const chunk = (part + value).split('\n');
            part = chunk.pop();
            if (chunk.length) setLines((old) => old.concat(chunk).slice(-MAX_LINES));
          }
          setState('ended');
        } catch (e) {
          if (stopped || e.name === 'AbortError') return;
          setState(e.status === 503 ? 'unavailable' : 'retrying');
        }
        await new Promise((r) => setTimeout(r, 3000));
      }
    })();
    return () => { stopped = true; ctl.abort(); };
  }, [name, generation]);
  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <Card title="Logs" extra={<span class="muted">{state === 'following' ? 'following' : state}</span>}>
      <pre class="logs" data-testid="logs" ref={pre}
        onScroll={(e) => { const el = e.currentTarget; stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40; }}>{lines.join('\n') || (state === 'unavailable' ? 'Logs need the manager’s Docker endpoint, which is off.' : '')}</pre>
    </Card>
  );
}
