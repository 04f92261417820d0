// Fails if the built UI names any http(s) address: the app must never load anything from a
// network. XML namespace names look like addresses but are only identifiers; they are allowed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const NAMESPACES = new Set([
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/1999/xlink',
  'http://www.w3.org/1998/Math/MathML',
  'http://www.w3.org/XML/1998/namespace',
  'http://www.w3.org/2000/xmlns/',
]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(js|mjs|css|html|svg|json|map|txt)$/.test(name)) yield path;
  }
}

let found = 0;
let checked = 0;
try {
  for (const path of files(dist)) {
    checked++;
    for (const match of readFileSync(path, 'utf8').matchAll(/https?:\/\/[^\s"'`)<>\\]+/g)) {
      if (!NAMESPACES.has(match[0])) {
        console.error(`${path.slice(dist.length)}: references ${match[0]}`);
        found++;
      }
    }
  }
} catch (e) {
  console.error(`cannot read the built UI in ${dist}: build it first (${e.message})`);
  process.exit(1);
}
if (checked === 0 || found > 0) {
  console.error(checked === 0 ? 'no built UI files found' : `${found} remote address(es) in the built UI`);
  process.exit(1);
}
console.log(`offline check: ${checked} built files name no remote address`);
