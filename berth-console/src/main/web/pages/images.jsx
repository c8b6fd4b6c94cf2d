// Images: the registry's repositories the user may see, and each one's tags.
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, Table } from '../ui.jsx';
import { bytes, may } from '../format.js';
import { problem } from '../state.js';

const imageEvent = (e) => e.kind === 'image';

export function Images() {
  const images = useApi('/v1/images', { match: imageEvent, optional: true });
  return (
    <Page title="Images" sub="Repositories of the cluster's registry that you belong to, and public ones.">
      <Card>
        {images.missing ? <Empty>This manager runs no registry.</Empty> : !images.data ? <Loading what="repositories" />
          : !images.data.length ? <Empty>No repositories yet: <code>docker push 127.0.0.1:5000/team/app:v1</code> makes one.</Empty> : (
            <Table head={['Repository', 'Visibility', 'Tags']}>
              {images.data.map((r) => (
                <tr key={r.name} data-testid="image-row" data-repo={r.name}>
                  <td><a href={`#/images/${encodeURIComponent(r.name)}`}><b>{r.name}</b></a></td>
                  <td><Pill state={r.public ? 'ok' : 'muted'}>{r.public ? 'public' : 'private'}</Pill></td>
                  <td class="mono">{r.tags.slice(0, 8).join(', ')}{r.tags.length > 8 ? ` … ${r.tags.length - 8} more` : ''}</td>
                </tr>
              ))}
            </Table>
          )}
      </Card>
    </Page>
  );
}

export function ImagePage({ me, repo }) {
  const enc = encodeURIComponent(repo);
  const tags = useApi(`/v1/images/${enc}/tags`, { match: (e) => imageEvent(e) && e.name === repo });
  const canDelete = may(me, 'repo', repo, 'delete-tag');
  const remove = async (tag) => {
    if (!confirm(`Delete ${repo}:${tag}? Every tag on the same image goes too.`)) return;
    try {
      await api(`/v1/images/${enc}/tags/${encodeURIComponent(tag)}`, { method: 'DELETE' });
      problem.set('');
      tags.reload();
    } catch { /* shown */ }
  };
  return (
    <Page title={repo} sub={<><a href="#/images">← Images</a> · <a href={`#/members?kind=repo&name=${enc}`}>members</a></>}>
      <Card title="Tags">
        {!tags.data ? (tags.error ? <Empty>No tags to show.</Empty> : <Loading what="tags" />) : (
          <Table head={['Tag', 'Digest', 'Size', '']}>
            {tags.data.map((t) => (
              <tr key={t.tag} data-testid="tag-row" data-tag={t.tag}>
                <td class="mono"><b>{t.tag}</b></td>
                <td class="mono muted" title={t.digest}>{t.digest.slice(0, 19)}…</td>
                <td>{bytes(t.size)}</td>
                <td>{canDelete && <button class="small danger ghost" onClick={() => remove(t.tag)}>Delete</button>}</td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Page>
  );
}
