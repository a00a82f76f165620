// @ts-check
// The Service Overview panel's UI. It renders what the extension sends ({type:'update', service})
// and posts back clicks; it never reads files itself. Text from the workspace is only ever set
// as textContent.
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

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
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children || []) if (c) el.append(c);
    return el;
  }
  const icon = (name) => h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
  const post = (msg) => vscode.postMessage(msg);

  /** A link that opens `file` at `line` in the editor. */
  function openLink(text, file, line) {
    return h('a', { class: 'open', href: '#', role: 'link', title: `${file}:${line}`, 'data-file': file, 'data-line': line, onclick: (e) => { e.preventDefault(); post({ type: 'open', file, line }); } }, [text]);
  }

  const ratio = (r) => (r.of ? `${r.met}/${r.of}` : '–');
  const ratioClass = (r) => (!r.of ? 'muted' : r.met === r.of ? 'good' : 'bad');

  function scorecard(s) {
    const sc = s.scorecard;
    const rows = [
      ['Alerts with a runbook', ratio(sc.alertsWithRunbook), ratioClass(sc.alertsWithRunbook)],
      ['Runbooks with a rollback section', ratio(sc.runbooksWithRollback), ratioClass(sc.runbooksWithRollback)],
      ['SLOs with burn-rate alerts', ratio(sc.slosWithBurnRate), ratioClass(sc.slosWithBurnRate)],
      ['Production deploys gated', ratio(sc.productionDeploysGated), ratioClass(sc.productionDeploysGated)],
      ['Owner agreed across kinds', sc.ownerAgreed === null ? '–' : sc.ownerAgreed ? 'yes' : 'no', sc.ownerAgreed === null ? 'muted' : sc.ownerAgreed ? 'good' : 'bad'],
      ['Findings (errors / warnings / info)', `${s.findings.error} / ${s.findings.warning} / ${s.findings.info}`, s.findings.error ? 'bad' : 'muted'],
    ];
    return h('table', { class: 'scorecard', 'aria-label': 'Scorecard' }, [
      h('tbody', {}, rows.map(([label, value, cls]) => h('tr', {}, [h('th', { scope: 'row', text: label }), h('td', { class: `value ${cls}`, text: value })]))),
    ]);
  }

  /** @param {string} title @param {string} iconName @param {any[]} items @param {(i:any)=>(Node|string)[]} render */
  function section(title, iconName, items, render) {
    if (!items.length) return null;
    return h('section', { 'aria-label': title }, [
      h('h2', {}, [icon(iconName), ` ${title} (${items.length})`]),
      h('ul', { class: 'entries' }, items.map((i) => h('li', {}, render(i)))),
    ]);
  }

  function render(s) {
    app.setAttribute('aria-busy', 'false');
    app.replaceChildren(
      h('h1', {}, [icon('symbol-class'), ` ${s.service}`]),
      h('p', { class: 'description', text: `Owner ${s.owner || 'unknown'} · inferred from ${s.sources.join(', ')}${s.aliases.length ? ` · also named ${s.aliases.join(', ')}` : ''}` }),
      h('div', { class: 'toolbar' }, [
        h('button', { type: 'button', onclick: () => post({ type: 'runChecklist', checklist: 'production-readiness' }) }, [icon('checklist'), ' Run production readiness']),
        h('button', { type: 'button', class: 'secondary', onclick: () => post({ type: 'runChecklist', checklist: 'release-gate' }) }, [icon('rocket'), ' Run release gate']),
        h('button', { type: 'button', class: 'secondary', onclick: () => post({ type: 'refresh' }) }, [icon('refresh'), ' Refresh']),
      ]),
      h('h2', {}, [icon('graph'), ' Scorecard']),
      scorecard(s),
      section('Owners', 'person', s.owners, (o) => [icon(s.ownerMismatches.some((m) => m.file === o.file && m.line === o.line) ? 'warning' : 'person'), h('strong', { text: o.owner }), h('span', { class: 'muted', text: o.source }), openLink(`${o.file}:${o.line}`, o.file, o.line)]),
      section('Runbooks', 'book', s.runbooks, (r) => [icon(r.kind === 'postmortem' ? 'history' : r.hasRollback ? 'book' : 'warning'), openLink(r.title, r.file, r.line), h('span', { class: 'muted', text: r.kind === 'postmortem' ? 'postmortem' : r.hasRollback ? '' : 'no rollback section' })]),
      section('Alerts', 'bell', s.alerts, (a) => [icon(a.runbook ? 'bell' : 'warning'), openLink(a.name, a.file, a.line), h('span', { class: 'muted', text: [a.severity, a.receivers.length ? `→ ${a.receivers.join(', ')}${a.pages ? ' (pages)' : ''}` : 'no receiver', a.runbook ? (a.runbookFile ? `runbook ${a.runbookFile}` : 'runbook linked') : 'no runbook'].filter(Boolean).join(' · ') })]),
      section('SLOs', 'dashboard', s.slos, (x) => [icon('dashboard'), openLink(x.name, x.file, x.line), h('span', { class: 'muted', text: x.alerting === 'enabled' ? `burn-rate alerts generated by ${x.format}` : x.burnRateAlerts.length ? `burn-rate alerts: ${x.burnRateAlerts.join(', ')}` : `burn-rate alerts ${x.alerting}` })]),
      section('Workloads', 'package', s.workloads, (w) => [icon('package'), openLink(`${w.kind} ${w.name}`, w.file, w.line), h('span', { class: 'muted', text: [w.namespace, w.replicas !== null ? `replicas ${w.replicas}` : ''].filter(Boolean).join(' · ') })]),
      section('Infrastructure', 'cloud', s.infrastructure, (i) => [icon(i.type === 'ansible-role' ? 'gear' : 'cloud'), openLink(i.address, i.file, i.line)]),
      section('Deploy jobs', 'rocket', s.deployJobs, (d) => [icon(d.production && !d.gate ? 'warning' : 'rocket'), openLink(d.id, d.file, d.line), h('span', { class: 'muted', text: d.production ? (d.gate ? `production · gated by ${d.gate}` : 'production · not gated') : '' })]),
    );
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg && msg.type === 'update') render(msg.service);
    else if (msg && msg.type === 'error') app.replaceChildren(h('p', { class: 'error', role: 'alert', text: msg.message }));
  });
  post({ type: 'ready' });
})();
