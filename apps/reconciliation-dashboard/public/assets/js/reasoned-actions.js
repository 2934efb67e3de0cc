// Table rows an operator acts on one at a time, each act recorded with who and why (the pipes'
// replays, the webhooks' redeliveries): one reason field above the table, and every act guarded on it.
import { h } from './dom.js';
import { toast } from './components.js';

/**
 * `id` names the reason field, `verb` what it is required for, `noun` what the audit trail records,
 * `failed` the title of a failure without problem details; `reload` renders the page again.
 * `act(button, send, said)`: nothing is sent without a reason; the button is disabled while
 * `send(reason)` runs; `said(answer)` is the toast; then the page reloads.
 * `withReason(table)`: the card's body, the reason field above the table.
 */
export function reasonedActions({ id, verb, noun, failed, reload }) {
  const reason = h('input', { id, name: 'reason', placeholder: `Why, for the audit trail (required to ${verb})`, maxlength: '2000' });
  const act = async (button, send, said) => {
    if (!reason.value.trim()) {
      toast(`Write why first: ${noun} are recorded`, { error: true });
      return reason.focus();
    }
    button.disabled = true;
    try {
      const answer = await send(reason.value.trim());
      toast(said(answer));
      await reload();
    } catch (error) {
      toast(`${error.problem?.title ?? failed}: ${error.message}`, { error: true });
      button.disabled = false;
    }
  };
  const withReason = (table) => h('div', {}, h('div', { class: 'filters' }, h('div', { class: 'field grow' }, h('label', { for: id }, 'Reason'), reason)), table);
  return { act, withReason };
}
