// Check Mermaid diagrams with Mermaid's own parser (mermaid.parse).
//
//   node tests/export/mermaid_parse.mjs FILE...   parse every diagram in the files; exit 1 on any failure
//   node tests/export/mermaid_parse.mjs           same, for diagram text on stdin
//   node tests/export/mermaid_parse.mjs --serve   JSON lines: read {"text": ...}, answer one line each
//
// A file may hold several diagrams separated by "%% ---" comment lines (what
// `journeytools export --to mermaid` writes for several personas) or as ```mermaid blocks.
// Each result is a JSON line {"file", "index", "ok", "type", "error", "journey"}; for journey
// diagrams "journey" holds what the parser understood (title, sections, tasks with score and
// people), with Mermaid entity codes (#58;) decoded, so callers can check no text was lost.
// A journey task without a numeric score counts as a failure (Mermaid parses it, then draws NaN).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
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

// Mermaid encodes "#58;" as "ﬂ°°58¶ß" before parsing and turns it into "&#58;" in the SVG.
function decode(text) {
  return String(text)
    .replace(/ﬂ°°(\d+)¶ß/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/ﬂ°(\w+)¶ß/g, "&$1;");
}

async function check(diagram) {
  try {
    const result = await mermaid.parse(diagram);
    const out = { ok: true, type: result.diagramType };
    if (result.diagramType === "journey") {
      const { db } = await mermaid.mermaidAPI.getDiagramFromText(diagram);
      out.journey = {
        title: decode(db.getDiagramTitle()),
        sections: db.getSections().map(decode),
        tasks: db.getTasks().map((t) => ({
          section: decode(t.section),
          task: decode(t.task),
          score: t.score,
          people: t.people.map(decode),
        })),
      };
      // The grammar accepts "Task: high: Me"; the score is then NaN and renders as garbage.
      const bad = out.journey.tasks.find((t) => !Number.isFinite(t.score));
      if (bad) return { ok: false, error: `task ${JSON.stringify(bad.task)} has no numeric score` };
    }
    return out;
  } catch (err) {
    return { ok: false, error: String(err?.message ?? err) };
  }
}

function split(text) {
  const fenced = [...text.matchAll(/^```mermaid\r?\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  if (fenced.length) return fenced;
  return text.split(/^%% ---[^\n]*$/m).filter((part) => part.trim() !== "");
}

if (process.argv[2] === "--serve") {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const { text } = JSON.parse(line);
    process.stdout.write(JSON.stringify(await check(text)) + "\n");
  }
  process.exit(0);
}

const files = process.argv.slice(2);
const inputs = files.length
  ? files.map((f) => [f, readFileSync(f, "utf8")])
  : [["<stdin>", readFileSync(0, "utf8")]];
let failed = 0;
for (const [file, text] of inputs) {
  const diagrams = split(text);
  if (!diagrams.length) {
    failed++;
    console.log(JSON.stringify({ file, index: 0, ok: false, error: "no diagram found" }));
  }
  for (const [index, diagram] of diagrams.entries()) {
    const result = await check(diagram);
    if (!result.ok) failed++;
    console.log(JSON.stringify({ file, index, ...result }));
  }
}
process.exit(failed ? 1 : 0);
