import { getJson, el, fmt, keyed } from './util.js';

// The run list refreshes itself so the chunk progress of running scenes moves without a reload.
export async function renderRunList() {
  await refresh();
  document.body.dataset.state = 'ready';
  setInterval(() => refresh().catch(() => {}), 3000);
}

async function refresh() {
  const [runs, models] = await Promise.all([getJson('api/runs'), getJson('api/models')]);
  const body = document.querySelector('#runs tbody');
  body.replaceChildren(...runs.map(runRow));
  document.getElementById('runs-empty').hidden = runs.length > 0;
  const modelBody = document.querySelector('#models tbody');
  modelBody.replaceChildren(...models.map(modelRow));
}

function runRow(run) {
  const progress = run.status === 'completed' || run.chunk_count === 0 ? '' : ` (${run.chunks_done}/${run.chunk_count} chunks)`;
  const scene = run.status === 'completed'
    ? el('a', { href: keyed(`run/${encodeURIComponent(run.scene)}`), text: run.scene })
    : document.createTextNode(run.scene);
  return el('tr', { class: `run status-${run.status}`, 'data-scene': run.scene },
    el('td', {}, scene),
    el('td', { class: 'status', text: run.status + progress }),
    el('td', { text: run.model_version }),
    el('td', { class: 'num', text: String(run.polygons) }),
    el('td', { class: 'num', text: fmt.area(run.landslide_area_m2) }),
    el('td', { text: fmt.time(run.created_at) }),
    el('td', { text: fmt.time(run.finished_at) }),
    el('td', { class: 'reason', text: run.reason ?? '' }));
}

function modelRow(model) {
  const metrics = Object.entries(model.metrics ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(3) : v}`).join(', ');
  return el('tr', { class: 'model', 'data-version': model.version },
    el('td', { text: model.version }),
    el('td', { text: model.source }),
    el('td', { text: model.promoted ? 'yes' : 'no' }),
    el('td', { class: 'num', text: typeof model.threshold === 'number' ? model.threshold.toFixed(2) : '' }),
    el('td', { text: metrics }),
    el('td', { class: 'plots' }, ...(model.plots ?? []).map((plot) => el('a', { href: keyed(plot), target: '_blank' },
      el('img', { src: keyed(plot), alt: plot.split('/').pop(), width: '160', height: '100', class: 'plot' })))));
}
