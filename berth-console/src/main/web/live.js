// Live updates: reads GET /v1/stream (server-sent events over fetch, parsed by sse.js) and tells
// pages what changed; without that route (an older manager) it polls: a tick every 5 s.
import { useEffect, useRef } from 'preact/hooks';
import { headers, expired, connectionLost, connectionBack, onReconnect } from './api.js';
import { parseSse } from './sse.js';
import { session } from './state.js';

const subs = new Set();
const EVERYTHING = { kind: '*' };
let controller = null;
export let mode = 'off';

function emit(ev) { for (const f of subs) f(ev); }

export function stopLive() {
  if (controller) controller.abort();
  controller = null;
  mode = 'off';
}

export function startLive() {
  if (controller) return;
  controller = new AbortController();
  run(controller.signal);
}

onReconnect(() => emit(EVERYTHING));
// Signed out or expired: the stream (opened with that session's token) ends; the next sign-in opens a new one.
session.sub((me) => { if (!me) stopLive(); });

async function run(signal) {
  let wait = 1000;
  let poller = null;
  const poll = () => { if (!poller) { mode = 'poll'; poller = setInterval(() => emit(EVERYTHING), 5000); } };
  signal.addEventListener('abort', () => clearInterval(poller));
  while (!signal.aborted) {
    try {
      const res = await fetch('/v1/stream', { headers: headers({ Accept: 'text/event-stream' }), signal });
      connectionBack();
      if (res.status === 401) { stopLive(); expired(); return; }
      if (res.status === 404 || res.status === 405) { poll(); return; }
      if (!res.ok || !res.body) throw new Error('stream answered ' + res.status);
      clearInterval(poller);
      poller = null;
      mode = 'stream';
      wait = 1000;
      emit(EVERYTHING); // whatever happened while it was not connected
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const { events, rest } = parseSse(buf + value);
        buf = rest;
        for (const e of events) {
          if (e.event !== 'change') continue;
          try { emit(JSON.parse(e.data)); } catch { /* not JSON: ignore */ }
        }
      }
      if (!signal.aborted) connectionLost(); // the manager went away mid-stream
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof TypeError) connectionLost();
      poll(); // keep pages fresh while the stream is away
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 15000);
  }
}

/**
 * Calls `reload` (debounced 150 ms) when a change matches `match(event)`, and on every poll
 * tick or reconnect.
 */
export function useLive(match, reload) {
  const ref = useRef({ match, reload });
  ref.current = { match, reload };
  useEffect(() => {
    let timer = null;
    const f = (ev) => {
      if (ev.kind !== '*' && !(ref.current.match && ref.current.match(ev))) return;
      clearTimeout(timer);
      timer = setTimeout(() => ref.current.reload(), 150);
    };
    subs.add(f);
    return () => { subs.delete(f); clearTimeout(timer); };
  }, []);
}
