// Behind the Functions app, data routes need the function key the page was opened with (?code=...): pass it on.
const key = new URLSearchParams(location.search).get('code');

export function keyed(url) {
  if (!key) return url;
  const absolute = new URL(url, document.baseURI);
  absolute.searchParams.set('code', key);
  return absolute.href;
}

export async function getJson(url) {
  const response = await fetch(keyed(url), { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  }
  return response.json();
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child);
  }
  return node;
}

export const fmt = {
  area: (m2) => `${Math.round(m2).toLocaleString('en')} m²`,
  p: (v) => (typeof v === 'number' ? v.toFixed(3) : ''),
  time: (t) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : ''),
};

export const sceneFromPath = () => decodeURIComponent(location.pathname.split('/run/').pop().replace(/\/$/, ''));
