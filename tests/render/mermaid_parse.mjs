// Parse Mermaid text from stdin with the real Mermaid parser (npm "mermaid", DOM from
// "jsdom"); print what the diagram holds: its config (directives), nodes, labels, edges.
// Usage: node mermaid_parse.mjs NODE_MODULES_DIR < diagram.mmd
import { readFileSync } from "fs";
import { join } from "path";
import { pathToFileURL } from "url";

const modules = process.argv[2];
const load = (name, file) => import(pathToFileURL(join(modules, name, file)).href);
const { JSDOM } = await load("jsdom", "lib/api.js");
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await load("mermaid", "dist/mermaid.core.mjs");
mermaid.initialize({ startOnLoad: false });
const text = readFileSync(0, "utf8");
try {
  const parsed = await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const vertices = diagram.db.getVertices();
  console.log(JSON.stringify({
    ok: true,
    config: parsed.config || {},
    nodes: [...vertices.keys()],
    // Mermaid keeps "#NN;" entity codes as placeholders until it draws: decode them as it would.
    labels: [...vertices.values()].map((v) =>
      v.text.replace(/ﬂ°°(\d+)¶ß/g, (_, n) => String.fromCodePoint(Number(n)))),
    edges: diagram.db.getEdges().map((e) => [e.start, e.end]),
  }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err).slice(0, 500) }));
}
