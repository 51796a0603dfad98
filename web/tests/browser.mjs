// Shared helpers of the browser checks: Debian's chromium driven by puppeteer-core (nothing downloads a browser),
// every request recorded, anything not on 127.0.0.1 (or data:/blob:/the opened file) recorded as leaving and aborted.
import puppeteer from 'puppeteer-core';
import { inflateSync } from 'node:zlib';

export async function launch() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-features=Translate,MediaRouter,OptimizationHints', '--font-render-hinting=none'],
    defaultViewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
  });
}

export async function watch(page, isLocal) {
  const record = { requests: [], leaving: [], consoleErrors: [], rasterBytes: 0 };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    record.requests.push(url.slice(0, 200));
    if (isLocal(url)) {
      request.continue();
    } else {
      record.leaving.push(url.slice(0, 200));
      request.abort('blockedbyclient');
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') record.consoleErrors.push(message.text());
  });
  page.on('response', (response) => {
    const url = response.url();
    if (url.endsWith('.tif') || url.endsWith('/scene')) record.rasterBytes += Number(response.headers()['content-length'] ?? 0);
  });
  page.on('pageerror', (error) => record.consoleErrors.push(String(error)));
  page.on('requestfailed', (request) => {
    if (isLocal(request.url())) record.consoleErrors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  return record;
}

export const isInline = (url) => url.startsWith('data:') || url.startsWith('blob:');

// A minimal PNG decoder for screenshots (8-bit RGB or RGBA, not interlaced), so the checks need no image package.
export function decodePng(buffer) {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const chunk = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0);
      height = chunk.readUInt32BE(4);
      if (chunk[8] !== 8 || chunk[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      channels = { 2: 3, 6: 4 }[chunk[9]];
      if (!channels) throw new Error(`PNG colour type ${chunk[9]} not supported`);
    } else if (type === 'IDAT') {
      data.push(chunk);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray((y * (stride + 1)) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[(y * stride) + x - channels] : 0;
      const b = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
      const c = x >= channels && y > 0 ? pixels[((y - 1) * stride) + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[(y * stride) + x] = v & 0xff;
    }
  }
  return { width, height, channels, pixel: (x, y) => { const i = (y * stride) + (x * channels); return [pixels[i], pixels[i + 1], pixels[i + 2]]; } };
}

export function args() {
  const result = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) result[argv[i].replace(/^--/, '')] = argv[i + 1];
  return result;
}
