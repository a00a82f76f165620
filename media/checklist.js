// @ts-check
// The checklist panel's UI. It renders what the extension sends ({type:'update', evaluation})
// and posts back what the person does; it never reads or writes files itself. Text from the
// workspace is only ever set as textContent.
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  /**
   * Note drafts by item id, kept across re-renders (a refresh must not eat what is being typed)
   * and in the webview state (the panel reloads when it is hidden and shown again).
   */
  const persisted = vscode.getState();
  const drafts = new Map(persisted && persisted.drafts ? Object.entries(persisted.drafts) : []);
  const keepDrafts = () => vscode.setState({ drafts: Object.fromEntries(drafts) });
  /** Notes sent and not yet back in a render (a blur saves the note, then the tick it caused must keep it). */
  const sent = new Map();
  /**
   * A blur saves the note a moment later, not at once: when the blur comes from clicking the
   * item's own checkbox or Waive button, that action writes the note with its state instead (an
   * immediate save would re-render the panel under the click).
   */
  const blurTimers = new Map();
  const cancelBlurSave = (id) => {
    clearTimeout(blurTimers.get(id));
    blurTimers.delete(id);
  };
  let lastFocus = '';

  /**
   * @param {string} tag
   * @param {Record<string, any>} [attrs]
   * @param {(Node|string|null|undefined|false)[]} [children]
   */
  function h(tag, attrs, children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') el.textContent = String(v);
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'checked') /** @type {HTMLInputElement} */ (el).checked = !!v;
      else if (k === 'value') /** @type {HTMLInputElement} */ (el).value = String(v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children || []) if (c) el.append(c);
    return el;
  }
  /** Text with `code` spans as <code> elements (still textContent only). */
  function rich(text, attrs) {
    const el = h('span', attrs);
    String(text)
      .split(/(`[^`]+`)/)
      .forEach((part) => el.append(/^`[^`]+`$/.test(part) ? h('code', { text: part.slice(1, -1) }) : part));
    return el;
  }
  const icon = (name, label) => h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', role: label ? 'img' : undefined, 'aria-label': label });

  const STATE = {
    pass: { icon: 'pass', label: 'Pass' },
    fail: { icon: 'error', label: 'Fail' },
    na: { icon: 'circle-slash', label: 'Not applicable' },
    'not-evaluated': { icon: 'question', label: 'Not evaluated' },
    open: { icon: 'circle-large-outline', label: 'Open' },
    done: { icon: 'pass-filled', label: 'Done' },
    waived: { icon: 'warning', label: 'Waived' },
  };

  function post(msg) {
    vscode.postMessage(msg);
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'update') {
      sent.clear(); // the evaluation now holds what was sent
      render(msg.evaluation, msg.runFile);
    }
    else if (msg.type === 'error') showError(String(msg.message || 'Something went wrong.'));
  });

  function showError(text) {
    const box = document.getElementById('message');
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
  }

  function render(evaluation, runFile) {
    const active = document.activeElement;
    lastFocus = active && active.id ? active.id : lastFocus;
    const r = evaluation.result;
    app.replaceChildren();
    app.setAttribute('aria-busy', 'false');

    const blocked = r.verdict === 'blocked';
    const byId = new Map(r.items.map((i) => [i.id, i]));
    // The live region lives outside the re-rendered content (a replaced region is not announced);
    // it speaks only when the verdict or the number of blocking items changes.
    const spoken = blocked ? `Blocked: ${r.blocking.length} item${r.blocking.length === 1 ? '' : 's'} block the gate.` : 'Ready: nothing blocks the gate.';
    const announce = document.getElementById('announce');
    if (announce && announce.textContent !== spoken) announce.textContent = spoken;
    const verdict = h('section', { class: `verdict ${r.verdict}`, id: 'verdict', 'aria-label': 'Verdict' }, [
      h('h2', {}, [icon(blocked ? 'error' : 'pass-filled'), ` ${blocked ? 'Blocked' : 'Ready'}`]),
      h('p', { text: blocked ? `${r.blocking.length} item${r.blocking.length === 1 ? '' : 's'} block${r.blocking.length === 1 ? 's' : ''} the gate:` : 'No evidence item fails and every manual item is done or waived.' }),
      blocked
        ? h(
            'ul',
            { class: 'blocking' },
            r.blocking.map((id) => {
              const item = byId.get(id);
              return h('li', {}, [h('a', { href: `#item-${id}`, onclick: (e) => focusItem(e, id) }, [rich(item ? item.text : id)])]);
            }),
          )
        : null,
    ]);

    const progressText = `${r.progress.settled} of ${r.progress.total} items settled`;
    const header = h('header', {}, [
      h('h1', { text: r.title }),
      h('p', { class: 'description', text: r.description }),
      h('div', { class: 'meta' }, [
        h('span', { text: `Run ${r.run}` }),
        runFile ? h('button', { class: 'link', type: 'button', text: runFile, title: 'Open the run file', onclick: () => post({ type: 'openRunFile' }) }) : null,
      ]),
      h('div', { class: 'progress' }, [h('progress', { value: r.progress.settled, max: r.progress.total, 'aria-label': progressText }), h('span', { text: progressText })]),
      h('div', { class: 'toolbar' }, [
        h('button', { type: 'button', id: 'export', onclick: () => post({ type: 'exportMarkdown' }) }, [icon('markdown'), ' Export as Markdown']),
        h('button', { type: 'button', id: 'refresh', class: 'secondary', onclick: () => post({ type: 'refresh' }) }, [icon('refresh'), ' Refresh']),
      ]),
      evaluation.runError ? h('p', { class: 'run-error', role: 'alert', text: `The run file is not valid (line ${evaluation.runError.line + 1}): ${evaluation.runError.message}. Ticks are not saved until it is fixed by hand.` }) : null,
      h('p', { id: 'message', class: 'message', role: 'alert', hidden: true }),
    ]);

    const sections = [];
    let current = null;
    for (const item of r.items) {
      if (!current || current.id !== item.section) {
        current = { id: item.section, title: item.sectionTitle, items: [] };
        sections.push(current);
      }
      current.items.push(item);
    }
    const body = sections.map((s) =>
      h('section', { class: 'section', 'aria-labelledby': `section-${s.id}` }, [
        h('h2', { id: `section-${s.id}`, text: s.title }),
        h('ul', { class: 'items' }, s.items.map(renderItem)),
      ]),
    );
    const notes = r.notes.length ? h('details', { class: 'notes' }, [h('summary', { text: `Not evaluated (${r.notes.length})` }), h('ul', {}, r.notes.map((n) => h('li', { text: n })))]) : null;

    app.append(header, verdict, ...body, notes || '');
    if (lastFocus) {
      const el = document.getElementById(lastFocus);
      if (el) el.focus();
    }
  }

  function focusItem(e, id) {
    e.preventDefault();
    const el = document.getElementById(`item-${id}`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    const control = el.querySelector('input, button');
    if (control) /** @type {HTMLElement} */ (control).focus();
  }

  function renderItem(item) {
    const s = STATE[item.state];
    const textId = `text-${item.id}`;
    const li = h('li', { class: `item state-${item.state}${item.blocking ? ' blocking' : ''}`, id: `item-${item.id}` });
    const head = h('div', { class: 'item-head' });
    if (item.kind === 'manual') {
      const box = h('input', {
        type: 'checkbox',
        id: `check-${item.id}`,
        checked: item.state === 'done' || item.state === 'waived',
        'aria-describedby': `why-${item.id}`,
        onchange: (e) => {
          cancelBlurSave(item.id);
          const note = drafts.get(item.id) ?? sent.get(item.id) ?? (item.run && item.run.note) ?? '';
          drafts.delete(item.id);
          keepDrafts();
          post({ type: 'setItem', item: item.id, state: e.target.checked ? 'done' : 'open', note: note || undefined });
        },
      });
      head.append(box, h('label', { for: `check-${item.id}`, id: textId }, [rich(item.text)]));
    } else {
      head.append(h('span', { class: 'state-icon' }, [icon(s.icon)]), rich(item.text, { class: 'item-text', id: textId }));
    }
    const count = item.state === 'fail' || (item.state === 'waived' && item.evidence.length) ? item.evidence.length : 0;
    const label = s.label;
    head.append(h('span', { class: `badge badge-${item.state}`, text: `${label}${count ? ` · ${count}` : ''}`, 'aria-label': `${label}${count ? `, ${count} finding${count === 1 ? '' : 's'}` : ''}` }));
    li.append(head);
    // Why there was nothing to check, or why it could not be checked: said in words, not only an icon.
    if (item.kind === 'auto' && item.reason) li.append(h('p', { class: `reason reason-${item.state}`, id: `reason-${item.id}`, text: `${item.state === 'not-evaluated' || item.state === 'waived' ? 'Not evaluated' : 'Nothing to check'}: ${item.reason}.` }));
    li.append(
      h('p', { class: 'why', id: `why-${item.id}` }, [
        rich(item.why),
        item.docs ? ' ' : null,
        item.docs ? h('button', { type: 'button', class: 'link', id: `docs-${item.id}`, onclick: () => post({ type: 'openItemDocs', item: item.id }) }, ['More…']) : null,
      ]),
    );

    if (item.kind === 'auto') li.append(renderEvidence(item));
    if (item.kind === 'manual' || item.state === 'fail' || item.state === 'not-evaluated' || item.state === 'waived') li.append(renderNote(item));
    if (item.run && item.state !== 'open' && (item.run.by || item.run.at)) {
      li.append(h('p', { class: 'who', text: `${item.run.state === 'waived' ? 'Waived' : 'Ticked'}${item.run.by ? ` by ${item.run.by}` : ''}${item.run.at ? `, ${item.run.at.slice(0, 16).replace('T', ' ')} UTC` : ''}` }));
    }
    return li;
  }

  function renderEvidence(item) {
    const list = h('ul', { class: 'evidence', 'aria-label': `Evidence for: ${item.text}` });
    for (const part of item.parts) {
      const partState = part.state;
      const summary =
        part.state === 'fail'
          ? `${part.refs.length} finding${part.refs.length === 1 ? '' : 's'}`
          : part.state === 'pass'
            ? `${part.checked} checked (${part.examined})`
            : part.reason || (part.state === 'na' ? 'nothing to check' : 'not evaluated');
      const name =
        part.kind === 'rule' && !/not known to this version|not in this build/.test(part.reason || '')
          ? h('button', { type: 'button', class: 'link rule', title: `Docs of ${part.label}`, onclick: () => post({ type: 'openRuleDocs', ruleId: part.label }) }, [h('code', { text: part.label })])
          : h('code', { text: part.label });
      const entry = h('li', { class: `part part-${part.state}` }, [icon(STATE[partState].icon), name, h('span', { class: 'part-summary', text: ` ${summary}` })]);
      if (part.state === 'fail' || part.state === 'not-evaluated') {
        const refs = h('ul', { class: 'findings' });
        for (const ref of part.refs) {
          const where = ref.file ? `${ref.file}${ref.line ? `:${ref.line}` : ''}` : '';
          refs.append(
            h('li', {}, [
              where ? h('button', { type: 'button', class: 'link finding', title: `Open ${where}`, 'data-file': ref.file, 'data-line': ref.line, onclick: () => post({ type: 'openFinding', file: ref.file, line: ref.line }) }, [where]) : null,
              h('span', { class: 'finding-message', text: ` ${ref.message}` }),
            ]),
          );
        }
        entry.append(refs);
      }
      list.append(entry);
    }
    return list;
  }

  function renderNote(item) {
    const noteId = `note-${item.id}`;
    const saved = (item.run && item.run.note) || '';
    // The run state the note is written with: a note alone never ticks, waives or unticks.
    const runState = item.run ? item.run.state : 'open';
    const note = () => (drafts.get(item.id) ?? sent.get(item.id) ?? saved).trim();
    const unsaved = h('span', { id: `unsaved-${item.id}`, class: 'unsaved', role: 'status', title: 'Not written to the run file yet: Enter or leaving the field saves it' }, [icon('circle-filled'), ' Unsaved']);
    const markUnsaved = () => {
      const dirty = drafts.has(item.id) && note() !== saved.trim();
      unsaved.hidden = !dirty;
      // The extension keeps what is unsaved too, so closing the panel cannot lose it.
      post({ type: 'draft', item: item.id, note: dirty ? note() : null });
    };
    const send = (state) => {
      cancelBlurSave(item.id);
      if (state === 'waived' && !note()) {
        showError('A waiver needs a note saying why.');
        /** @type {HTMLInputElement|null} */ (document.getElementById(noteId))?.focus();
        return;
      }
      const text = note();
      drafts.delete(item.id);
      sent.set(item.id, text);
      keepDrafts();
      unsaved.hidden = true;
      post({ type: 'setItem', item: item.id, state, note: text || undefined });
    };
    const saveIfChanged = () => {
      if (drafts.has(item.id) && note() !== saved.trim()) send(runState);
    };
    const input = h('input', {
      type: 'text',
      id: noteId,
      class: 'note',
      placeholder: item.kind === 'manual' ? 'Note (evidence, link, reason for a waiver)' : 'Why this failure is accepted for this run',
      value: drafts.get(item.id) ?? saved,
      oninput: (e) => {
        drafts.set(item.id, e.target.value);
        keepDrafts();
        markUnsaved();
      },
      onkeydown: (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          saveIfChanged();
        }
      },
      onblur: () => {
        cancelBlurSave(item.id);
        blurTimers.set(item.id, setTimeout(() => {
          blurTimers.delete(item.id);
          saveIfChanged();
        }, 250));
      },
    });
    unsaved.hidden = !(drafts.has(item.id) && note() !== saved.trim());
    const noteLabel = h('label', { for: noteId, class: 'visually-hidden', text: `Note for: ${item.text}` });
    const buttons = [];
    if (item.kind === 'manual' && item.state !== 'open') buttons.push(h('button', { type: 'button', class: 'secondary', id: `save-${item.id}`, onclick: () => send(item.state) }, ['Save note']));
    if (item.state === 'waived') buttons.push(h('button', { type: 'button', class: 'secondary', id: `unwaive-${item.id}`, onclick: () => send('open') }, ['Withdraw waiver']));
    else buttons.push(h('button', { type: 'button', class: 'secondary', id: `waive-${item.id}`, 'aria-label': `Waive: ${item.text}`, onclick: () => send('waived') }, ['Waive']));
    return h('div', { class: 'note-row' }, [noteLabel, input, unsaved, ...buttons]);
  }

  post({ type: 'ready' });
})();
