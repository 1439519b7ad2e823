// ccbridge operator console: a page over the admin API. Every datum comes from /admin/** with the
// operator's token (X-Admin-Token), kept in this tab's sessionStorage; nothing is rendered as HTML.
'use strict';

const TOKEN_KEY = 'ccbridge-admin-token';
const $ = (id) => document.getElementById(id);

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (name === 'onclick') node.addEventListener('click', value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  });
  children.flat().forEach((child) => {
    if (child === null || child === undefined) return;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

function table(headings, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', { colspan: headings.length, class: 'muted' }, 'None.'))]));
}

function badge(text) {
  const value = String(text);
  const kind = /^(CLOSED|Started|RESOLVED|SENT|ACCEPTED|RECEIVED|PUBLISHED|DECIDED)$/.test(value) ? 'ok'
    : /^(OPEN|FAILED|DEAD_LETTERED|REFUSED|Suspended|Stopped|INVALID|FLAGGED)$/.test(value) ? 'bad'
      : /^(HALF_OPEN|DUPLICATE|REPLAYED|PENDING|FORCED_OPEN)$/.test(value) ? 'warn' : '';
  return el('span', { class: 'badge ' + kind }, value);
}

function say(message, info) {
  const banner = $('banner');
  banner.textContent = message;
  banner.className = info ? 'info' : '';
  banner.hidden = !message;
}

async function api(method, path, body) {
  const headers = { 'X-Admin-Token': sessionStorage.getItem(TOKEN_KEY) || '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401) {
      signOut();
      throw new Error('The token was not accepted (401): sign in with an admin token.');
    }
    const detail = json && (json.detail || json.title) ? json.detail || json.title : response.statusText;
    const why = response.status === 403 ? 'this needs the admin operate token: ' + detail : detail;
    throw new Error(response.status + ': ' + why);
  }
  return json;
}

async function guarded(action) {
  try {
    say('');
    await action();
  } catch (e) {
    say(e.message);
  }
}

// ---- sign-in and tabs ----

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('tabs').hidden = true;
  $('sign-out').hidden = true;
  document.querySelectorAll('main section').forEach((s) => { s.hidden = true; });
  $('sign-in').hidden = false;
  say(message || '');
}

async function signIn(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value);
  $('token').value = '';
  await guarded(async () => {
    await api('GET', '/admin/queues');
    $('sign-in').hidden = true;
    $('tabs').hidden = false;
    $('sign-out').hidden = false;
    show();
  });
}

function show() {
  if (!sessionStorage.getItem(TOKEN_KEY)) { signOut(); return; }
  const [tab, ...rest] = (location.hash.replace(/^#/, '') || 'events').split('/');
  document.querySelectorAll('main section').forEach((s) => { s.hidden = s.id !== tab; });
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.tab === tab));
  $('sign-in').hidden = true;
  $('tabs').hidden = false;
  $('sign-out').hidden = false;
  if (tab === 'events' && rest.length >= 2) guarded(() => story(decodeURIComponent(rest[0]), decodeURIComponent(rest.slice(1).join('/'))));
  if (tab === 'dlq') guarded(loadDeadLetters);
  if (tab === 'reviews') guarded(loadReviews);
  if (tab === 'health') guarded(loadHealth);
}

// ---- events ----

async function findEvents(event) {
  event.preventDefault();
  const by = $('event-search-by').value;
  const value = $('event-search-value').value.trim();
  await guarded(async () => {
    const found = await api('GET', '/admin/events?' + by + '=' + encodeURIComponent(value));
    $('event-story').replaceChildren();
    $('event-results').replaceChildren(table(['Source', 'Event id', 'First seen'], found.events.map((e) =>
      el('tr', {}, el('td', {}, e.source),
        el('td', {}, el('a', { class: 'link', href: '#events/' + encodeURIComponent(e.source) + '/' + encodeURIComponent(e.eventId) }, e.eventId)),
        el('td', {}, e.firstAt)))));
    if (found.events.length === 1) location.hash = 'events/' + encodeURIComponent(found.events[0].source) + '/' + encodeURIComponent(found.events[0].eventId);
  });
}

function details(step) {
  return Object.entries(step).filter(([name]) => !['at', 'stage', 'traceId'].includes(name))
    .map(([name, value]) => name + ': ' + (typeof value === 'object' ? JSON.stringify(value) : value)).join('\n');
}

async function story(source, eventId) {
  const fate = await api('GET', '/admin/events/' + encodeURIComponent(source) + '/' + encodeURIComponent(eventId));
  $('event-story').replaceChildren(
    el('h2', {}, 'Event ' + fate.eventId + ' from ' + fate.source),
    el('p', { class: 'muted' }, fate.traceIds.length ? 'Trace ' + fate.traceIds.join(', ') : 'No trace recorded (tracing off).'),
    table(['Time (UTC)', 'Step', 'What happened'], fate.story.map((step) =>
      el('tr', { 'data-stage': step.stage }, el('td', {}, step.at), el('td', {}, badge(step.stage)),
        el('td', { class: 'detail' }, details(step))))));
}

// ---- dead letters ----

async function loadDeadLetters() {
  const { messages } = await api('GET', '/admin/dlq?limit=200');
  $('dlq-detail').replaceChildren();
  $('dlq-list').replaceChildren(table(['', 'Message', 'Error', 'Attempts', 'First seen', 'Routing key', 'Route', ''],
    messages.map((m) => el('tr', { 'data-message-id': m.messageId },
      el('td', {}, el('input', { type: 'checkbox', class: 'dlq-select', value: m.messageId, 'aria-label': 'select ' + m.messageId })),
      el('td', {}, m.messageId), el('td', { class: 'detail' }, m.error), el('td', {}, m.attempts),
      el('td', {}, m.firstSeen), el('td', {}, m.routingKey), el('td', {}, m.route),
      el('td', {}, el('button', { type: 'button', class: 'dlq-inspect', onclick: () => guarded(() => inspect(m.messageId)) }, 'Inspect'), ' ',
        el('button', { type: 'button', onclick: () => guarded(() => replay([m.messageId])) }, 'Replay'))))));
}

async function inspect(messageId) {
  const message = await api('GET', '/admin/dlq/' + encodeURIComponent(messageId));
  let body = message.body;
  try { body = JSON.stringify(JSON.parse(message.body), null, 2); } catch (ignored) { /* not JSON: as received */ }
  $('dlq-detail').replaceChildren(el('h2', {}, 'Dead letter ' + messageId),
    table(['Header', 'Value'], Object.entries(message.headers).map(([name, value]) =>
      el('tr', {}, el('td', {}, name), el('td', { class: 'detail' }, value)))),
    el('h2', {}, 'Body (' + (message.contentType || 'unknown type') + ')'), el('pre', { id: 'dlq-body' }, body));
}

async function replay(messageIds) {
  const query = messageIds ? messageIds.map((id) => 'messageId=' + encodeURIComponent(id)).join('&') : 'limit=10000';
  const result = await api('POST', '/admin/dlq/replay?' + query);
  await loadDeadLetters();
  say('Replayed ' + result.replayed + (result.notFound.length ? '; not on the DLQ any more: ' + result.notFound.join(', ') : ''), true);
}

// ---- reviews ----

async function loadReviews() {
  const { items } = await api('GET', '/admin/sync/reviews?state=OPEN&limit=200');
  $('reviews-list').replaceChildren(table(['Id', 'Record', 'Kind', 'Why', 'Since'], items.map((item) =>
    el('tr', { 'data-review-id': item.id },
      el('td', {}, el('a', { class: 'link', onclick: () => guarded(() => review(item.id)) }, String(item.id))),
      el('td', {}, item.object + ' ' + item.recordKey), el('td', {}, badge(item.kind)), el('td', {}, item.reason),
      el('td', {}, item.createdAt)))));
}

async function review(id) {
  const item = await api('GET', '/admin/sync/reviews/' + id);
  const stored = item.storedFields || {};
  const incoming = item.incomingFields || {};
  const names = [...new Set([...Object.keys(stored), ...Object.keys(incoming)])].sort();
  const decidedBy = el('input', { id: 'decided-by', placeholder: 'your name', 'aria-label': 'Decided by' });
  const decide = (take) => guarded(async () => {
    const body = { take, decidedBy: decidedBy.value || undefined };
    if (take === 'merged') {
      body.fields = {};
      document.querySelectorAll('input.merged').forEach((input) => { if (input.value) body.fields[input.name] = input.value; });
    }
    await api('POST', '/admin/sync/reviews/' + id + '/decision', body);
    await loadReviews();
    await review(id);
    say('Review ' + id + ' decided: ' + take, true);
  });
  const open = item.state === 'OPEN';
  $('review-detail').replaceChildren(
    el('h2', {}, 'Review ' + id + ': ' + item.object + ' ' + item.recordKey + ' '), badge(item.state),
    el('p', { class: 'muted' }, item.kind + ': ' + item.reason + (item.decision ? ' | decided ' + item.decision + ' by ' + item.decidedBy : '')),
    table(['Field', 'Stored (v' + (item.storedVersion ?? '-') + ')', 'Incoming (v' + (item.incomingVersion ?? '-') + ', ' + item.incomingSystem + ')', 'Merged'],
      names.map((name) => el('tr', { 'data-field': name }, el('td', {}, name), el('td', {}, stored[name] ?? ''),
        el('td', {}, incoming[name] ?? ''),
        el('td', {}, el('input', { class: 'merged', name, value: incoming[name] ?? stored[name] ?? '', disabled: !open, 'aria-label': 'merged ' + name }))))),
    open ? el('div', { class: 'actions' }, decidedBy,
      el('button', { type: 'button', id: 'take-stored', onclick: () => decide('stored') }, 'Keep stored'),
      el('button', { type: 'button', id: 'take-incoming', onclick: () => decide('incoming') }, 'Take incoming'),
      el('button', { type: 'button', id: 'take-merged', class: 'primary', onclick: () => decide('merged') }, 'Apply merged')) : null);
}

// ---- circuits, queues, notifications ----

async function loadHealth() {
  const [{ circuits }, { queues, lanes }, { notifications }] = await Promise.all([
    api('GET', '/admin/circuits'), api('GET', '/admin/queues'), api('GET', '/admin/notifications?status=FAILED&limit=100')]);
  const rate = (value) => (value < 0 ? 'n/a' : value.toFixed(1) + ' %');
  $('circuits').replaceChildren(table(['Circuit', 'State', 'Failure rate', 'Slow calls', 'Calls in window', 'Refused while open'],
    circuits.map((c) => el('tr', { 'data-circuit': c.name }, el('td', {}, c.name), el('td', {}, badge(c.state)),
      el('td', {}, rate(c.failureRate)), el('td', {}, rate(c.slowCallRate)), el('td', {}, c.bufferedCalls), el('td', {}, c.notPermitted)))));
  $('queues').replaceChildren(table(['Queue', 'Messages', 'Consumers'], queues.map((q) =>
    el('tr', { 'data-queue': q.name }, el('td', {}, q.name), el('td', {}, q.messages), el('td', {}, q.consumers)))));
  $('lanes').replaceChildren(table(['Route', 'State', 'Consumes'], lanes.map((lane) =>
    el('tr', {}, el('td', {}, lane.route), el('td', {}, badge(lane.status)), el('td', {}, lane.from)))));
  $('failed-notifications').replaceChildren(table(['Notification', 'Channel', 'Type', 'Attempts', 'Last error', ''],
    notifications.map((n) => el('tr', { 'data-notification-id': n.id }, el('td', {}, n.id), el('td', {}, n.channel),
      el('td', {}, n.messageType), el('td', {}, n.attempts), el('td', { class: 'detail' }, n.lastError),
      el('td', {}, el('button', { type: 'button', class: 'retry', onclick: () => guarded(async () => {
        await api('POST', '/admin/notifications/' + encodeURIComponent(n.id) + '/retry');
        await loadHealth();
        say('Notification ' + n.id + ' will be sent again', true);
      }) }, 'Retry'))))));
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('event-search').addEventListener('submit', findEvents);
  $('dlq-refresh').addEventListener('click', () => guarded(loadDeadLetters));
  $('dlq-replay-all').addEventListener('click', () => guarded(() => replay(null)));
  $('dlq-replay-selected').addEventListener('click', () => guarded(() => {
    const selected = [...document.querySelectorAll('input.dlq-select:checked')].map((box) => box.value);
    if (!selected.length) throw new Error('select the dead letters to replay first');
    return replay(selected);
  }));
  $('reviews-refresh').addEventListener('click', () => guarded(loadReviews));
  window.addEventListener('hashchange', show);
  show();
});
