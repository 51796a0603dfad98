// Drives the web map of a running `landslide serve` in headless Chromium and prints what it saw, as JSON:
// node web/tests/webmap.mjs --base http://127.0.0.1:PORT/ --scene NAME [--screenshot PNG]
import { fromUrl } from 'geotiff';
import { launch, watch, isInline, decodePng, args } from './browser.mjs';

const { base, scene, screenshot, measure } = args();
const origin = new URL(base).origin;
const result = {};
const browser = await launch();
try {
  const page = await browser.newPage();
  const record = await watch(page, (url) => url.startsWith(`${origin}/`) || isInline(url));

  // The run list.
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 30000 });
  result.list = await page.evaluate((name) => {
    const row = [...document.querySelectorAll('#runs tr.run')].find((r) => r.dataset.scene === name);
    return {
      rows: document.querySelectorAll('#runs tr.run').length,
      status: row?.querySelector('.status')?.textContent ?? null,
      link: row?.querySelector('a')?.getAttribute('href') ?? null,
      models: document.querySelectorAll('#models tr.model').length,
      runs: [...document.querySelectorAll('#runs tr.run')].map((r) => ({
        scene: r.dataset.scene, status: r.querySelector('.status').textContent, reason: r.querySelector('.reason').textContent })),
    };
  }, scene);

  // The run page, reached by the list's link as a user would.
  const opened = Date.now();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`#runs tr.run[data-scene="${scene}"] a`)]);
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 60000 });
  result.firstDrawMs = Date.now() - opened;
  if (measure) {
    // Only what the page load costs (bench of the raster transport): time to the first complete draw, raster bytes.
    console.log(JSON.stringify({ firstDrawMs: result.firstDrawMs, rasterBytes: record.rasterBytes, consoleErrors: record.consoleErrors }));
    process.exit(0);
  }
  result.state = await page.$eval('body', (b) => b.dataset.state);
  result.error = await page.$eval('#error', (e) => (e.hidden ? null : e.textContent));
  result.features = await page.evaluate(() => window.landslideMap.featureCount());
  result.downloads = await page.$$eval('#downloads a.download', (links) => links.map((a) => a.getAttribute('href')));
  result.scaleBar = await page.$$eval('.ol-scale-bar, .ol-scale-line', (e) => e.length);
  if (screenshot) await page.screenshot({ path: screenshot });

  const mapBox = await (await page.$('#map')).boundingBox();
  const clip = { x: Math.round(mapBox.x), y: Math.round(mapBox.y), width: Math.round(mapBox.width), height: Math.round(mapBox.height) };
  const setLayers = async (layers) => {
    await page.evaluate((on) => {
      for (const name of ['base', 'probability', 'polygons']) {
        const box = document.getElementById(`show-${name}`);
        if (box.checked !== on.includes(name)) box.click();
      }
    }, layers);
    await rendered(page);
  };
  const shot = async () => decodePng(Buffer.from(await page.screenshot({ clip, type: 'png' })));
  const isWhite = ([r, g, b]) => r > 245 && g > 245 && b > 245;
  const countColoured = (image) => {
    let n = 0;
    for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) if (!isWhite(image.pixel(x, y))) n++;
    return n;
  };

  // The threshold slider recolours the probability layer in the browser.
  await setLayers(['probability']);
  const before = await shot();
  const setThreshold = async (value) => {
    await page.evaluate((v) => {
      const slider = document.getElementById('threshold');
      slider.value = String(v);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
    await rendered(page);
  };
  result.thresholdStart = Number(await page.$eval('#threshold', (s) => s.value));
  await setThreshold(0.05);
  const low = await shot();
  await setThreshold(0.95);
  const high = await shot();
  let changed = 0;
  for (let y = 0; y < before.height; y++) for (let x = 0; x < before.width; x++) {
    const a = before.pixel(x, y);
    const b = low.pixel(x, y);
    if (a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) changed++;
  }
  result.slider = { changedPixels: changed, colouredAtStart: countColoured(before), colouredAt005: countColoured(low), colouredAt095: countColoured(high) };

  // Pixel check: the polygons alone over white, compared with mask.tif pixel by pixel.
  await setThreshold(result.thresholdStart);
  await setLayers(['polygons']);
  const polygonsShot = await shot();
  const run = await (await fetch(new URL(`runs/${encodeURIComponent(scene)}/files/run.json`, base))).json();
  const tiff = await fromUrl(new URL(`runs/${encodeURIComponent(scene)}/files/mask.tif`, base).href);
  const mask = (await tiff.readRasters({ samples: [0], interleave: true }));
  const w = run.scene.width;
  const h = run.scene.height;
  const pixelArea = Math.abs(run.scene.geotransform[1] * run.scene.geotransform[5]);
  const kept = keptComponents(mask, w, h, run.settings.min_area_m2 / pixelArea);
  const screen = await page.evaluate((cols, rows) => {
    const out = [];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.push(window.landslideMap.pixelOfScenePixel(c, r));
    return out;
  }, w, h);
  const fill = [255, 166, 255]; // rgba(255, 0, 255, 0.35) over white
  const near = (p, q) => Math.abs(p[0] - q[0]) <= 16 && Math.abs(p[1] - q[1]) <= 16 && Math.abs(p[2] - q[2]) <= 16;
  const check = { landslideChecked: 0, landslideWrong: 0, backgroundChecked: 0, backgroundWrong: 0, firstWrong: null };
  let clickAt = null;
  for (let r = 1; r < h - 1; r++) {
    for (let c = 1; c < w - 1; c++) {
      const v = mask[(r * w) + c];
      if (v === 255 || kept[(r * w) + c] === 2) continue; // nodata, or a component too close to the minimum area to call
      let uniform = true;
      for (let dr = -1; dr <= 1 && uniform; dr++) for (let dc = -1; dc <= 1; dc++) {
        const i = ((r + dr) * w) + c + dc;
        if (mask[i] !== v || kept[i] !== kept[(r * w) + c]) { uniform = false; break; }
      }
      if (!uniform) continue;
      const [sx, sy] = screen[(r * w) + c].map(Math.round);
      if (sx < 0 || sy < 0 || sx >= polygonsShot.width || sy >= polygonsShot.height) continue;
      const colour = polygonsShot.pixel(sx, sy);
      if (v === 1 && kept[(r * w) + c] === 1) {
        check.landslideChecked++;
        if (!near(colour, fill)) { check.landslideWrong++; check.firstWrong ??= { c, r, colour, expected: 'polygon' }; }
        clickAt ??= [sx, sy];
      } else if (v === 0) {
        check.backgroundChecked++;
        if (near(colour, fill)) { check.backgroundWrong++; check.firstWrong ??= { c, r, colour, expected: 'background' }; }
      }
    }
  }
  result.pixelCheck = check;

  // A click on a polygon opens its popup.
  if (clickAt) {
    await page.mouse.click(clip.x + clickAt[0], clip.y + clickAt[1]);
    await page.waitForSelector('#popup:not([hidden])', { timeout: 5000 }).catch(() => {});
    result.popup = await page.$eval('#popup', (p) => (p.hidden ? null : p.textContent));
  }
  await setLayers(['base', 'probability', 'polygons']);
  result.leaving = record.leaving;
  result.consoleErrors = record.consoleErrors;
  result.rasterBytes = record.rasterBytes;
  result.rangeRequests = record.requests.filter((u) => u.endsWith('.tif') || u.endsWith('/scene')).length;
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}

async function rendered(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const map = window.landslideMap.map;
    map.once('rendercomplete', () => resolve());
    map.render();
  }));
}

// 8-connected components of mask == 1: 1 where the component holds at least minPixels pixels (a polygon is kept),
// 0 where it holds fewer, 2 where it is within one pixel of the limit (area rounding could go either way).
function keptComponents(mask, w, h, minPixels) {
  const label = new Int32Array(w * h).fill(-1);
  const kept = new Uint8Array(w * h);
  const stack = [];
  for (let start = 0; start < w * h; start++) {
    if (mask[start] !== 1 || label[start] !== -1) continue;
    const members = [];
    stack.push(start);
    label[start] = start;
    while (stack.length) {
      const i = stack.pop();
      members.push(i);
      const r = Math.floor(i / w);
      const c = i % w;
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr < 0 || cc < 0 || rr >= h || cc >= w) continue;
        const j = (rr * w) + cc;
        if (mask[j] === 1 && label[j] === -1) { label[j] = start; stack.push(j); }
      }
    }
    const value = Math.abs(members.length - minPixels) < 1 ? 2 : members.length >= minPixels ? 1 : 0;
    for (const i of members) kept[i] = value;
  }
  return kept;
}
