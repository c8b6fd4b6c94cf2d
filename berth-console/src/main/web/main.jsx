// The console: a shell (top bar, navigation, banners) around one page per hash route.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './style.css';
import { api, token, onReconnect } from './api.js';
import { startLive, stopLive } from './live.js';
import { session, problem, lost, route, useStore, go } from './state.js';
import { Login } from './pages/login.jsx';
import { Dashboard } from './pages/dashboard.jsx';
import { Nodes, NodePage } from './pages/nodes.jsx';
import { Apps } from './pages/apps.jsx';
import { AppPage } from './pages/app.jsx';
import { AppAlerts } from './pages/alerts.jsx';
import { ClusterAlerts } from './pages/alerts-cluster.jsx';
import { Containers } from './pages/containers.jsx';
import { Images, ImagePage } from './pages/images.jsx';
import { Builds, BuildPage } from './pages/builds.jsx';
import { Members } from './pages/members.jsx';
import { Operator } from './pages/operator.jsx';

const NAV = [
  ['#/', 'Dashboard', ''],
  ['#/nodes', 'Nodes', 'nodes'],
  ['#/apps', 'Apps', 'apps'],
  ['#/containers', 'Containers', 'containers'],
  ['#/images', 'Images', 'images'],
  ['#/builds', 'Builds', 'builds'],
  ['#/members', 'Members', 'members'],
  ['#/alerts', 'Alerts', 'alerts', true],
  ['#/operator', 'Operator', 'operator', true],
];

function page(r, me) {
  const [top, name] = r.parts;
  switch (top) {
    case undefined: return <Dashboard me={me} />;
    case 'nodes': return name ? <NodePage me={me} name={name} /> : <Nodes me={me} />;
    case 'apps':
      if (!name) return <Apps me={me} />;
      return r.parts[2] === 'alerts' ? <AppAlerts me={me} name={name} key={name + '/alerts'} /> : <AppPage me={me} name={name} key={name} />;
    case 'alerts': return <ClusterAlerts me={me} />;
    case 'containers': return <Containers me={me} />;
    case 'images': return name ? <ImagePage me={me} repo={name} /> : <Images me={me} />;
    case 'builds': return name ? <BuildPage me={me} name={name} key={name} /> : <Builds me={me} />;
    case 'members': return <Members me={me} />;
    case 'operator': return <Operator me={me} />;
    default: return <section class="page"><h1>Not found</h1><p class="empty">No page at {r.hash}. <a href="#/">Dashboard</a></p></section>;
  }
}

function Banners() {
  const gone = useStore(lost);
  const message = useStore(problem);
  return (
    <>
      {gone && (
        <div class="banner lost" data-testid="connection" role="status">
          Connection to the manager lost — retrying…
        </div>
      )}
      {message && (
        <div class="banner error" role="alert">
          <span data-testid="error">{message}</span>
          <button class="link" aria-label="Dismiss" onClick={() => problem.set('')}>×</button>
        </div>
      )}
    </>
  );
}

function signOut() {
  token.clear();
  sessionStorage.removeItem('berth.drafts');
  session.set(null);
  stopLive();
  go('#/login');
}

function whoami() {
  api('/v1/whoami', { quiet: true }).then((w) => { session.set(w); startLive(); }).catch(() => {});
}

// The manager was away when the page loaded: ask again who we are once it answers.
onReconnect(() => { if (!session.get() && token.get() && route.get().parts[0] !== 'login') whoami(); });

function Shell() {
  const r = useStore(route);
  const me = useStore(session);
  useEffect(() => {
    if (r.parts[0] === 'login') return;
    if (!token.get()) { go('#/login?next=' + encodeURIComponent(r.hash)); return; }
    if (!me) whoami();
  }, [r, me]);
  useEffect(() => {
    // on a narrow screen the navigation scrolls: keep the current page's link in sight
    const a = document.querySelector('.top nav a.active');
    if (a && a.scrollIntoView) a.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [r.parts[0], me]);
  if (r.parts[0] === 'login') {
    return <div class="login-shell"><Banners /><Login next={r.query.get('next')} /></div>;
  }
  const section = r.parts[0] || '';
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/"><span class="logo" aria-hidden="true" />Berth</a>
        <nav>
          {NAV.filter((n) => !n[3] || (me && me.admin)).map(([href, label, key]) => (
            <a href={href} key={href} class={section === key ? 'active' : ''}>{label}</a>
          ))}
        </nav>
        <div class="me">
          {me && <span class="who"><span data-testid="whoami">{me.user}</span>{me.admin && <span class="tag">admin</span>}</span>}
          <button class="ghost" data-testid="signout" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <Banners />
      <main>{me ? page(r, me) : <p class="empty">Signing in…</p>}</main>
    </div>
  );
}

render(<Shell />, document.getElementById('app'));
