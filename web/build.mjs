// Bundles the web map (OpenLayers, geotiff.js, proj4) into src/Landslide.Web/wwwroot/app.js with esbuild, and copies
// OpenLayers' stylesheet beside it. The output is committed (so building the .NET solution needs no node), and
// WebBundleTests checks that it is what this script produces from package-lock.json's versions.
import { build } from 'esbuild';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? path.join(root, 'src/Landslide.Web/wwwroot');
await build({
  entryPoints: [path.join(root, 'web/src/app.js')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync(path.join(root, 'node_modules/ol/ol.css'), path.join(out, 'ol.css'));
