// The alerts tab's new-rule form: what `berth alert add` takes. Its fields are drafts, so an expired
// session does not lose them; the API checks the expression and names its bad part.
import { Card } from '../ui.jsx';
import { useDraft } from '../state.js';
import { ruleBody } from '../alerts-format.js';

export function AlertRuleForm({ name, onDone }) {
  const [rule, setRule] = useDraft(`alerts.${name}.new.name`, '');
  const [when, setWhen] = useDraft(`alerts.${name}.new.when`, '');
  const [forText, setFor] = useDraft(`alerts.${name}.new.for`, '1m');
  const [severity, setSeverity] = useDraft(`alerts.${name}.new.severity`, 'warning');
  const [receiverText, setReceivers] = useDraft(`alerts.${name}.new.receivers`, '');
  const submit = (e) => {
    e.preventDefault();
    onDone(ruleBody({ name: rule, when, forText, severity, receiverText }));
  };
  return (
    <Card title={`New alert rule on ${name}`} class="form-card">
      <form class="row wrap" onSubmit={submit} data-testid="alert-form">
        <label class="inline">Name <input name="rule_name" value={rule} onInput={(e) => setRule(e.target.value)} required size="12" /></label>
        <label class="inline">When <input name="when" value={when} placeholder="cpu > 80%" onInput={(e) => setWhen(e.target.value)} required size="18" class="mono" /></label>
        <label class="inline">For <input name="for" value={forText} onInput={(e) => setFor(e.target.value)} size="4" /></label>
        <label class="inline">Severity
          <select name="severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option>info</option><option>warning</option><option>critical</option>
          </select>
        </label>
        <label class="inline">Receivers <input name="receivers" value={receiverText} placeholder="owners and masters" title="webhook URLs or e-mail addresses"
          onInput={(e) => setReceivers(e.target.value)} size="22" /></label>
        <button type="submit" class="primary" data-testid="alert-add-submit">Add</button>
      </form>
    </Card>
  );
}
