// The baseline of the extraction scorer: each page through @mozilla/readability, as Firefox's
// Reader View reads it. Reads a JSON list of {file, url, html} (HTML already decoded to text)
// on stdin; prints one JSON object per page: {file, title, byline, published, body}.
//   node readability.mjs NODE_MODULES_DIR < pages.json
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.argv[2], "node_modules", "x.js"));
const { Readability } = require("@mozilla/readability");
const { JSDOM, VirtualConsole } = require("jsdom");

let input = "";
for await (const chunk of process.stdin) input += chunk;
for (const page of JSON.parse(input)) {
  let result = null;
  try {
    // No scripts, no network: the page as its HTML stands.
    const dom = new JSDOM(page.html, { url: page.url, virtualConsole: new VirtualConsole() });
    result = new Readability(dom.window.document).parse();
  } catch (error) {
    result = null;
  }
  console.log(JSON.stringify({
    file: page.file,
    title: result?.title ?? null,
    byline: result?.byline ?? null,
    published: result?.publishedTime ?? null,
    body: result?.textContent ?? null,
  }));
}
