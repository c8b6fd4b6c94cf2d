// Members and roles of each resource: GET/PUT/DELETE /v1/members/{kind}/{name}[/{user}].
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Empty, Loading, When, Table, Pill } from '../ui.jsx';
import { may } from '../format.js';
import { route, useStore, go, problem, useDraft } from '../state.js';

const KINDS = ['app', 'repo', 'group', 'build'];
const ROLES = ['owner', 'master', 'developer', 'reporter', 'guest'];

export function Members({ me }) {
  const r = useStore(route);
  const kind = KINDS.includes(r.query.get('kind')) ? r.query.get('kind') : 'app';
  const name = r.query.get('name') || '';
  const apps = useApi('/v1/apps');
  const images = useApi('/v1/images', { optional: true });
  const choices = new Set();
  if (kind === 'app') for (const a of apps.data || []) choices.add(a.name);
  if (kind === 'repo') for (const i of images.data || []) choices.add(i.name);
  if (kind === 'group') for (const i of images.data || []) if (i.name.includes('/')) choices.add(i.name.split('/')[0]);
  for (const m of me.memberships || []) if (m.kind === kind) choices.add(m.name);
  const pick = (k, n) => go(`#/members?kind=${k}${n ? '&name=' + encodeURIComponent(n) : ''}`);
  return (
    <Page title="Members" sub="Who has which role on each app, repository, group and build (docs/permissions.md).">
      <Card>
        <form class="row wrap" onSubmit={(e) => { e.preventDefault(); pick(kind, e.currentTarget.elements.name.value.trim()); }}>
          <label class="inline">Kind <select value={kind} onChange={(e) => pick(e.target.value, '')}>
            {KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select></label>
          <label class="inline">Name <input name="name" list="member-names" value={name} placeholder={kind === 'app' ? 'hello' : 'team/app'} /></label>
          <datalist id="member-names">{[...choices].sort().map((c) => <option key={c} value={c} />)}</datalist>
          <button type="submit">Show</button>
        </form>
        {!name && (
          <div class="choices">
            {[...choices].sort().map((c) => <a key={c} class="chip" href={`#/members?kind=${kind}&name=${encodeURIComponent(c)}`}>{c}</a>)}
            {!choices.size && <Empty>Name a resource to see its members.</Empty>}
          </div>
        )}
      </Card>
      {name && <MemberList me={me} kind={kind} name={name} key={kind + '/' + name} />}
    </Page>
  );
}

function MemberList({ me, kind, name }) {
  const path = `/v1/members/${kind}/${encodeURIComponent(name)}`;
  const list = useApi(path);
  const canManage = may(me, kind, name, 'members');
  const [user, setUser] = useDraft(`members.${kind}.${name}.user`, '');
  const [role, setRole] = useDraft(`members.${kind}.${name}.role`, 'developer');
  const [busy, setBusy] = useState(false);
  const put = async (u, ro) => {
    setBusy(true);
    try {
      await api(`${path}/${encodeURIComponent(u)}`, { method: 'PUT', body: { role: ro } });
      problem.set('');
      setUser('');
      list.reload();
    } catch { /* shown */ } finally { setBusy(false); }
  };
  const remove = async (u) => {
    try {
      await api(`${path}/${encodeURIComponent(u)}`, { method: 'DELETE' });
      problem.set('');
      list.reload();
    } catch { /* shown */ }
  };
  return (
    <Card title={`${kind} ${name}`}>
      {!list.data ? (list.error ? <Empty>You cannot see the members of {kind} {name}.</Empty> : <Loading what="members" />) : (
        <Table head={['User', 'Role', 'Added by', 'Added', '']}>
          {list.data.map((m) => (
            <tr key={m.user} data-testid="member-row" data-user={m.user}>
              <td><b>{m.user}</b></td>
              <td>{canManage ? (
                <select value={m.role} onChange={(e) => put(m.user, e.target.value)} aria-label={`role of ${m.user}`}>
                  {ROLES.map((x) => <option key={x} value={x}>{x}</option>)}
                </select>) : <Pill state="info">{m.role}</Pill>}</td>
              <td>{m.added_by}</td>
              <td><When at={m.added_at} /></td>
              <td>{canManage && <button class="small ghost danger" onClick={() => remove(m.user)}>Remove</button>}</td>
            </tr>
          ))}
          {!list.data.length && <tr><td colSpan="5" class="muted">No members.</td></tr>}
        </Table>
      )}
      {canManage && list.data && (
        <form class="row wrap add-member" onSubmit={(e) => { e.preventDefault(); put(user.trim(), role); }}>
          <label class="inline">User <input name="member_user" value={user} onInput={(e) => setUser(e.target.value)} required /></label>
          <label class="inline">Role <select name="member_role" value={role} onChange={(e) => setRole(e.target.value)}>
            {ROLES.map((x) => <option key={x} value={x}>{x}</option>)}
          </select></label>
          <button type="submit" class="primary" disabled={busy}>Add member</button>
        </form>
      )}
    </Card>
  );
}
