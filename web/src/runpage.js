import Map from 'ol/Map.js';
import View from 'ol/View.js';
import ImageLayer from 'ol/layer/Image.js';
import ImageStatic from 'ol/source/ImageStatic.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import Overlay from 'ol/Overlay.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import { Style, Fill, Stroke } from 'ol/style.js';
import { register } from 'ol/proj/proj4.js';
import { get as getProjection } from 'ol/proj.js';
import proj4 from 'proj4';
import { fromUrl } from 'geotiff';
import { getJson, el, fmt, sceneFromPath, keyed } from './util.js';

// Longest side, in pixels, read from the COGs; geotiff.js then picks the overview closest to it, so a large scene
// costs a few range requests of its overviews, not the whole file.
const MAX_READ = 2048;
const POLYGON_FILL = 'rgba(255, 0, 255, 0.35)';
const POLYGON_STROKE = '#ff00ff';

export async function renderRun() {
  const scene = sceneFromPath();
  const base = `runs/${encodeURIComponent(scene)}`;
  const url = (name) => keyed(new URL(`${base}/files/${name}`, document.baseURI).href);
  const [status, record, geojson] = await Promise.all([
    getJson(`api/runs/${encodeURIComponent(scene)}`),
    getJson(url('run.json')),
    getJson(url('landslides.geojson')),
  ]);
  document.title = `Landslides in ${scene}`;
  document.getElementById('title').textContent = `Landslides in ${scene}`;
  renderFacts(status, record);
  renderDownloads(record, url);

  const code = defineProjection(record.scene.epsg);
  const projection = getProjection(code);
  const [ox, a, , oy, , e] = record.scene.geotransform;
  const w = record.scene.width;
  const h = record.scene.height;
  const extent = [ox, oy + (h * e), ox + (w * a), oy];
  const factor = Math.min(1, MAX_READ / Math.max(w, h));
  const rw = Math.max(1, Math.round(w * factor));
  const rh = Math.max(1, Math.round(h * factor));

  const probability = await readProbability(url('probability.tif'), rw, rh);

  // The base is the run's truecolour.png (quicklook size, made while mapping): reading bands 4-3-2 of the scene
  // itself cost the whole scene file for scenes without overviews (see docs/ARCHITECTURE.md).
  const hasBase = (record.outputs ?? []).includes('truecolour.png');
  if (!hasBase) document.getElementById('base-note').textContent = 'this run has no truecolour.png (mapped before it existed)';
  const baseLayer = new ImageLayer({
    source: hasBase ? new ImageStatic({ url: url('truecolour.png'), imageExtent: extent, projection, interpolate: true }) : null,
    properties: { name: 'base' },
  });
  const probabilityLayer = new ImageLayer({ properties: { name: 'probability' } });
  const vectorSource = new VectorSource({
    features: new GeoJSON().readFeatures(geojson, { dataProjection: 'EPSG:4326', featureProjection: projection }),
  });
  const polygonLayer = new VectorLayer({
    source: vectorSource,
    style: new Style({ fill: new Fill({ color: POLYGON_FILL }), stroke: new Stroke({ color: POLYGON_STROKE, width: 2 }) }),
    properties: { name: 'polygons' },
  });

  const popup = document.getElementById('popup');
  const overlay = new Overlay({ element: popup, positioning: 'bottom-center', offset: [0, -8], stopEvent: false });
  const map = new Map({
    target: 'map',
    layers: [baseLayer, probabilityLayer, polygonLayer],
    overlays: [overlay],
    controls: defaultControls({ attribution: false }).extend([new ScaleLine({ units: 'metric', bar: true, steps: 4, text: true, minWidth: 120 })]),
    view: new View({ projection, extent, constrainOnlyCenter: true, showFullExtent: true }),
  });
  map.getView().fit(extent, { padding: [10, 10, 10, 10] });

  const slider = document.getElementById('threshold');
  const label = document.getElementById('threshold-value');
  const recolour = () => {
    const t = Number(slider.value);
    label.textContent = t.toFixed(2);
    document.getElementById('legend-low').textContent = t.toFixed(2);
    probabilityLayer.setSource(staticSource(colourRamp(probability, t), extent, projection));
  };
  slider.value = String(record.settings.threshold);
  slider.addEventListener('input', recolour);
  recolour();

  for (const layer of [baseLayer, probabilityLayer, polygonLayer]) {
    const box = document.getElementById(`show-${layer.get('name')}`);
    box.addEventListener('change', () => layer.setVisible(box.checked));
  }

  map.on('singleclick', (event) => {
    const feature = map.forEachFeatureAtPixel(event.pixel, (f) => f, { layerFilter: (l) => l === polygonLayer });
    if (!feature) {
      overlay.setPosition(undefined);
      popup.hidden = true;
      return;
    }
    const p = feature.getProperties();
    const centroid = Array.isArray(p.centroid) ? `${p.centroid[1].toFixed(5)}°, ${p.centroid[0].toFixed(5)}°` : '';
    popup.replaceChildren(
      el('strong', { text: `Landslide ${p.id ?? ''}` }),
      el('div', { text: `area ${fmt.area(p.area_m2 ?? 0)}` }),
      el('div', { text: `mean probability ${fmt.p(p.mean_probability)}` }),
      el('div', { text: `max probability ${fmt.p(p.max_probability)}` }),
      el('div', { text: `centroid (lat, lon) ${centroid}` }));
    popup.hidden = false;
    overlay.setPosition(event.coordinate);
  });

  // Hooks for the browser tests and for anyone scripting the page from the console.
  window.landslideMap = {
    map,
    featureCount: () => vectorSource.getFeatures().length,
    pixelOfScenePixel: (col, row) => map.getPixelFromCoordinate([ox + ((col + 0.5) * a), oy + ((row + 0.5) * e)]),
    readSize: [rw, rh],
  };
  map.once('rendercomplete', () => {
    document.body.dataset.state = 'ready';
  });
}

function defineProjection(epsg) {
  if (epsg === 4326 || epsg === 3857) {
    return `EPSG:${epsg}`;
  }
  const north = epsg >= 32601 && epsg <= 32660;
  const south = epsg >= 32701 && epsg <= 32760;
  if (!north && !south) {
    throw new Error(`the map shows scenes in WGS 84 / UTM (EPSG:326xx, 327xx), 4326 or 3857; this run is in EPSG:${epsg}`);
  }
  const zone = epsg % 100;
  proj4.defs(`EPSG:${epsg}`, `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`);
  register(proj4);
  return `EPSG:${epsg}`;
}

async function readProbability(href, width, height) {
  const tiff = await fromUrl(href, { allowFullFile: false });
  const raster = await tiff.readRasters({ samples: [0], width, height, resampleMethod: 'nearest', interleave: true });
  return { values: raster, width, height };
}

// Probability at or above the threshold: yellow (at the threshold) to dark red (1); below it and nodata: transparent.
export function colourRamp(probability, threshold) {
  const { values, width, height } = probability;
  const image = new ImageData(width, height);
  const span = Math.max(1e-6, 1 - threshold);
  for (let i = 0; i < values.length; i++) {
    const p = values[i];
    if (!(p >= threshold)) continue;
    const t = Math.min(1, (p - threshold) / span);
    image.data[i * 4] = Math.round(255 - (75 * t));
    image.data[(i * 4) + 1] = Math.round(230 * (1 - t));
    image.data[(i * 4) + 2] = 0;
    image.data[(i * 4) + 3] = 200;
  }
  return image;
}

function staticSource(imageData, extent, projection) {
  const canvas = document.createElement('canvas');
  canvas.width = imageData.width;
  canvas.height = imageData.height;
  canvas.getContext('2d').putImageData(imageData, 0, 0);
  return new ImageStatic({ url: canvas.toDataURL('image/png'), imageExtent: extent, projection, interpolate: false });
}

function renderFacts(status, record) {
  const rows = [
    ['status', status.status],
    ['model', `${record.model.version} (sha256 ${record.model.sha256.slice(0, 12)}…)`],
    ['polygons', String(record.counts.polygons)],
    ['landslide area', fmt.area(record.counts.landslide_area_m2)],
    ['scene', `${record.scene.width} × ${record.scene.height} px, EPSG:${record.scene.epsg}`],
    ['model threshold', String(record.settings.threshold)],
    ['started', fmt.time(record.started_at)],
    ['finished', fmt.time(record.finished_at)],
  ];
  document.querySelector('#facts tbody').replaceChildren(...rows.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v }))));
}

function renderDownloads(record, url) {
  const names = [...new Set([...(record.outputs ?? []), 'report.html'])];
  document.getElementById('downloads').replaceChildren(
    ...names.map((name) => el('li', {}, el('a', { href: url(name), download: name, class: 'download', text: name }))));
}
