// The web map's pages: the run list (/) and a run (/run/{scene}). Everything is bundled; nothing is fetched from
// outside the serving origin (no tiles, fonts or CDNs), so it works on an offline field laptop.
import { renderRunList } from './runlist.js';
import { renderRun } from './runpage.js';

const page = document.body.dataset.page;
const fail = (e) => {
  const box = document.getElementById('error');
  if (box) {
    box.textContent = String(e && e.message ? e.message : e);
    box.hidden = false;
  }
  document.body.dataset.state = 'error';
};
if (page === 'list') {
  renderRunList().catch(fail);
} else if (page === 'run') {
  renderRun().catch(fail);
}
