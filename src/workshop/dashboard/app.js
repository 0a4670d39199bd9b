// The workshop dashboard page: renders the view the server sends over server-sent events.
// Read-only; no libraries. Stuck times tick here, from each learner's stepStartedAt.
const texts = {
  en: {
    title: 'k8s-learn workshop',
    learners: 'Learners',
    histogram: 'Where learners are',
    failures: 'Most common failures',
    live: 'live',
    connecting: 'connecting…',
    lost: 'connection lost, retrying…',
    'not-started': 'not started',
    working: 'working',
    failing: 'failing',
    done: 'done',
    attempts: 'attempts',
    hints: 'hints',
    stuck: 'on this step',
    none: 'No learners yet: run `k8s-learn workshop provision`.',
    noFailures: 'No failures right now.',
  },
  'zh-CN': {
    title: 'k8s-learn 工作坊',
    learners: '学员',
    histogram: '学员进度分布',
    failures: '最常见的失败原因',
    live: '实时',
    connecting: '连接中…',
    lost: '连接断开，正在重试…',
    'not-started': '未开始',
    working: '进行中',
    failing: '验证失败',
    done: '已完成',
    attempts: '次尝试',
    hints: '个提示',
    stuck: '停留时间',
    none: '还没有学员：先运行 `k8s-learn workshop provision`。',
    noFailures: '目前没有失败。',
  },
};
let tr = texts.en;
let view = { learners: [], histogram: [], failures: [] };

function duration(seconds) {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function stuckText(learner) {
  if (!learner.stepStartedAt || learner.state === 'done') return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(learner.stepStartedAt)) / 1000));
  return `${duration(seconds)} ${tr.stuck}`;
}

function render() {
  const grid = document.getElementById('grid');
  grid.replaceChildren(
    ...view.learners.map((l) => {
      const card = element('li', 'learner');
      card.dataset.learner = l.learner;
      card.dataset.state = l.state;
      card.append(element('div', 'name', `${l.learner} · ${tr[l.state] ?? l.state}`));
      card.append(element('div', 'step', l.step ? `${l.step.number}/${l.totalSteps} ${l.step.title}` : '–'));
      if (l.step) card.dataset.step = l.step.key;
      const meta = element('div', 'meta', `${l.attempts} ${tr.attempts} · ${l.hintsShown} ${tr.hints}`);
      const stuck = element('span', 'stuck', stuckText(l));
      if (stuck.textContent) meta.append(' · ', stuck);
      card.append(meta);
      if (l.lastFailure && l.state === 'failing') card.append(element('div', 'failure', l.lastFailure));
      return card;
    }),
  );
  if (view.learners.length === 0) grid.append(element('li', 'empty', tr.none));
  const max = Math.max(1, ...view.histogram.map((h) => h.count));
  document.getElementById('histogram').replaceChildren(
    ...view.histogram.map((h) => {
      const li = element('li');
      li.dataset.step = h.key;
      li.title = h.title;
      const bar = element('span', 'bar');
      bar.style.width = `${(100 * h.count) / max}%`;
      li.append(element('span', 'number', String(h.number)), bar, element('span', 'count', String(h.count)));
      return li;
    }),
  );
  const failures = document.getElementById('failures');
  failures.replaceChildren(
    ...view.failures.map((f) => {
      const li = element('li', '', `${f.count} × ${f.cause}`);
      li.title = f.learners.join(', ');
      return li;
    }),
  );
  if (view.failures.length === 0) failures.append(element('li', 'empty', tr.noFailures));
  const counts = ['failing', 'working', 'not-started', 'done']
    .map((s) => `${tr[s]}: ${view.learners.filter((l) => l.state === s).length}`)
    .join(' · ');
  document.getElementById('counts').textContent = counts;
}

function setConnection(state) {
  const node = document.getElementById('connection');
  node.dataset.state = state;
  node.textContent = tr[state];
}

async function main() {
  try {
    const meta = await (await fetch('api/meta')).json();
    tr = texts[meta.lang] ?? texts.en;
    document.documentElement.lang = meta.lang;
    document.getElementById('context').textContent = meta.context;
  } catch {
    // English and no context name: the view itself still comes.
  }
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = tr[node.dataset.text];
  document.title = tr.title;
  setConnection('connecting');
  const events = new EventSource('events');
  events.addEventListener('view', (e) => {
    view = JSON.parse(e.data);
    setConnection('live');
    render();
  });
  events.addEventListener('error', () => setConnection('lost'));
  // Stuck times keep counting between updates.
  setInterval(() => {
    for (const card of document.querySelectorAll('.learner')) {
      const learner = view.learners.find((l) => l.learner === card.dataset.learner);
      const stuck = card.querySelector('.stuck');
      if (learner && stuck) stuck.textContent = stuckText(learner);
    }
  }, 1000);
}

main();
