// Parse Mermaid diagrams with Mermaid's own parser (mermaid.parse); exit 1 on the first failure.
//
// Usage: node tests/export/mermaid_parse.mjs FILE...   (or diagram text on stdin when no FILE)
// A file may hold several diagrams separated by lines of "%% ---" (what `export --to mermaid`
// writes when it exports more than one persona) or fenced as ```mermaid blocks (Markdown).
// Prints one JSON line per diagram: {"file", "index", "ok", "type", "error"}.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// Mermaid's bundle expects a browser (DOMPurify reads window/document at import time).
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const key of ["Element", "HTMLElement", "Node", "DOMParser", "DocumentFragment"]) {
  if (!(key in globalThis)) globalThis[key] = dom.window[key];
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

function split(text) {
  const fenced = [...text.matchAll(/^```mermaid\r?\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  if (fenced.length) return fenced;
  return text.split(/^%% ---[^\n]*$/m).filter((part) => part.trim() !== "");
}

const files = process.argv.slice(2);
const inputs = files.length
  ? files.map((f) => [f, readFileSync(f, "utf8")])
  : [["<stdin>", readFileSync(0, "utf8")]];

let failed = 0;
for (const [file, text] of inputs) {
  const diagrams = split(text);
  if (!diagrams.length) {
    console.log(JSON.stringify({ file, index: 0, ok: false, error: "no diagram found" }));
    failed++;
  }
  for (const [index, diagram] of diagrams.entries()) {
    try {
      const result = await mermaid.parse(diagram);
      console.log(JSON.stringify({ file, index, ok: true, type: result.diagramType }));
    } catch (err) {
      failed++;
      console.log(JSON.stringify({ file, index, ok: false, error: String(err?.message ?? err) }));
    }
  }
}
process.exit(failed ? 1 : 0);
