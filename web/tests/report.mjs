// Opens report.html from disk in headless Chromium and prints what it shows, as JSON:
// node web/tests/report.mjs --report PATH [--screenshot PNG]
import { pathToFileURL } from 'node:url';
import { launch, watch, isInline, args } from './browser.mjs';

const { report, screenshot } = args();
const pageUrl = pathToFileURL(report).href;
const browser = await launch();
try {
  const page = await browser.newPage();
  const record = await watch(page, (url) => url === pageUrl || isInline(url));
  await page.goto(pageUrl, { waitUntil: 'load' });
  const shown = await page.evaluate(() => {
    const image = document.querySelector('svg#map image');
    const box = image?.getBBox();
    return {
      svgPolygons: document.querySelectorAll('svg#map path.landslide').length,
      tableRows: document.querySelectorAll('#polygons tr.polygon').length,
      imageInline: (image?.getAttribute('href') ?? '').startsWith('data:image/png;base64,'),
      imageWidth: box?.width ?? 0,
      facts: document.querySelectorAll('#facts tr').length,
      summary: document.getElementById('summary')?.textContent ?? '',
    };
  });
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ ...shown, leaving: record.leaving, requests: record.requests.filter((u) => u !== pageUrl && !isInline(u)), consoleErrors: record.consoleErrors }));
} finally {
  await browser.close();
}
