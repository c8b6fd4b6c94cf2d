// Sign-in with a Berth user: POST /v1/login, the token kept in sessionStorage for this tab.
import { useState } from 'preact/hooks';
import { api, token } from '../api.js';
import { startLive } from '../live.js';
import { session, problem, go } from '../state.js';

export function Login({ next }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const expiredSession = !!next;
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const t = await api('/v1/login', { method: 'POST', body: { user, password } });
      token.set(t.token);
      const me = await api('/v1/whoami');
      problem.set('');
      session.set(me);
      startLive();
      go(next && next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/');
    } catch {
      // the message is shown by api()
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login card" onSubmit={submit}>
      <div class="login-brand"><span class="logo" aria-hidden="true" />Berth</div>
      <h1>Sign in</h1>
      {expiredSession && <p class="sub">Sign in to go on where you were.</p>}
      <label>User<input name="user" autocomplete="username" value={user} onInput={(e) => setUser(e.target.value)} required autofocus /></label>
      <label>Password<input name="password" type="password" autocomplete="current-password" value={password}
        onInput={(e) => setPassword(e.target.value)} required /></label>
      <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  );
}
