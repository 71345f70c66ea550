// Opens a WACZ in ReplayWeb.page (npm `replaywebpage`: its prebuilt ui.js and sw.js) inside
// Debian's headless Chromium, driven by puppeteer-core, and reports what the archived page
// shows: its title, its text, and its pictures (loaded or not). Everything is served from a
// server on 127.0.0.1 that this script starts (with the byte ranges ReplayWeb.page asks for);
// nothing is loaded from anywhere else.
//   node replay.mjs REPLAY_DIR FILE.wacz URL
// REPLAY_DIR holds ui.js and sw.js. Prints one JSON object.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [replayDir, waczFile, pageUrl] = process.argv.slice(2);

const page_html = `<!doctype html><html><head><meta charset="utf-8"><script src="/ui.js"></script>
</head><body><replay-web-page source="/archive.wacz" url="${pageUrl}" replayBase="/"
embed="replayonly" style="width:1000px;height:800px;display:block"></replay-web-page></body></html>`;

function serveFile(request, response, file, type) {
  const size = fs.statSync(file).size;
  const range = /bytes=(\d*)-(\d*)/.exec(request.headers.range ?? "");
  if (range) {
    // "bytes=-N" asks for the last N bytes (the ZIP's directory), all of a smaller file.
    const start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
    const end = range[1] !== "" && range[2] !== "" ? Math.min(Number(range[2]), size - 1) : size - 1;
    response.writeHead(206, {
      "Content-Type": type,
      "Content-Length": end - start + 1,
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Accept-Ranges": "bytes",
    });
    fs.createReadStream(file, { start, end }).pipe(response);
    return;
  }
  response.writeHead(200, { "Content-Type": type, "Content-Length": size, "Accept-Ranges": "bytes" });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  fs.createReadStream(file).pipe(response);
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url, "http://127.0.0.1");
  if (url.pathname === "/" || url.pathname === "/index.html") {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(page_html);
  } else if (url.pathname === "/ui.js" || url.pathname === "/sw.js") {
    serveFile(request, response, path.join(replayDir, url.pathname.slice(1)), "application/javascript");
  } else if (url.pathname === "/archive.wacz") {
    serveFile(request, response, waczFile, "application/wacz");
  } else {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  userDataDir: fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "replay-chromium-")),
});
const result = { ok: false, title: null, text: null, images: [], frames: [] };
try {
  const tab = await browser.newPage();
  await tab.goto(`${origin}/`, { waitUntil: "load" });
  // The archived page is a frame of the replay frame, at .../mp_/URL.
  const deadline = Date.now() + 60000;
  let frame = null;
  while (Date.now() < deadline && frame === null) {
    for (const candidate of tab.frames()) {
      if (candidate.url().includes("mp_/") && candidate.url().endsWith(pageUrl)) {
        frame = candidate;
      }
    }
    if (frame === null) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  result.frames = tab.frames().map((f) => f.url());
  if (frame !== null) {
    await frame.waitForFunction(() => document.readyState === "complete", { timeout: 30000 });
    // Pictures finish loading after the document: wait for each (or its failure).
    await frame.evaluate(() => Promise.all(Array.from(document.images).map((img) =>
      img.complete ? null : new Promise((done) => { img.onload = done; img.onerror = done; }))));
    const seen = await frame.evaluate(() => ({
      title: document.title,
      text: document.body ? document.body.innerText : "",
      images: Array.from(document.images).map((img) => ({ src: img.src, width: img.naturalWidth })),
    }));
    Object.assign(result, seen, { ok: true });
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result));
