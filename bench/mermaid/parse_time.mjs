// parse_time.mjs: how long mermaid-js's own flowchart parser takes on given diagrams.
//
//   node --expose-gc parse_time.mjs cases.json --runs 5     # every case, 5 timed runs each
//   node --expose-gc parse_time.mjs cases.json              # runs on request, one stdin line each
//   node parse_time.mjs --version
//
// cases.json is a JSON array of {"name", "text", "edges"}. The first stdout line says what ran
// (mermaid and node versions, start-up seconds). With --runs, one line per case follows, in
// order: {"name", "edges", "ok": true, "parse_s": [one per run]} or {"name", "ok": false,
// "error"}. Without it, each stdin line "warm I" (parse case I untimed and check its edge
// count) or "time I" (one timed parse, the count checked after it) gets one line back, {"ok": true, "s": seconds} or
// {"ok": false, "error"}: bench/compare_bench.py drives it that way so that mermaid's runs and
// ours take turns, and load on the machine slows both alike.
//
// What is timed is mermaid.parse(text): what mermaid does to a diagram before drawing it (its
// preprocessing, diagram detection, a fresh FlowDB filled by the jison parser), the
// counterpart of whiteboard's parse_text. Stock mermaid: nothing of it is patched. With
// --runs each case is parsed once untimed first (V8 compiles the hot paths then, and the edge
// count is checked against the generator's), as the Python side parses once before timing.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function options(argv) {
  const opts = { file: undefined, runs: 0, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version') opts.version = true;
    else if (arg === '--runs') opts.runs = Math.max(1, Number(argv[++i]) | 0);
    else if (!arg.startsWith('--')) opts.file = arg;
    else throw new Error(`unknown option ${arg}`);
  }
  return opts;
}

// DOMPurify (which FlowDB runs over every label with markup in it) needs a browser window; it
// reads one from the global scope when it is first imported, so the jsdom window goes there
// before mermaid is imported.
async function browserShim() {
  const { JSDOM } = await import('jsdom');
  const { window } = new JSDOM('<!DOCTYPE html><body></body>');
  globalThis.window = window;
  globalThis.document = window.document;
  for (const name of ['Node', 'Element', 'HTMLElement', 'DocumentFragment', 'DOMParser', 'NodeFilter', 'Text']) {
    if (globalThis[name] === undefined) globalThis[name] = window[name];
  }
}

async function loadFlowchart() {
  await browserShim();
  // mermaid logs through console; stdout carries our JSON lines only.
  for (const name of ['log', 'info', 'debug', 'warn']) console[name] = () => {};
  const mermaid = (await import('mermaid')).default;
  // maxEdges is a render safety limit (500 by default), not grammar: lift it as whiteboard has none.
  mermaid.initialize({ startOnLoad: false, logLevel: 'fatal', maxEdges: 10_000_000 });
  // Loading one flowchart registers the diagram; its parser object is the one mermaid.parse uses.
  const probe = await mermaid.mermaidAPI.getDiagramFromText('flowchart LR\nA --> B');
  return { mermaid, parser: probe.parser.parser };
}

const collect = () => { if (globalThis.gc) globalThis.gc(); };

async function seconds(fn) {
  collect();
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// mermaid.parse leaves its FlowDB on the parser object: the edges it found are counted there.
function checkEdges({ edges }, env) {
  const found = env.parser.yy.getEdges().length;
  if (edges !== undefined && found !== edges) throw new Error(`expected ${edges} edges, mermaid found ${found}`);
}

async function warm(item, env) {
  await env.mermaid.parse(item.text);
  checkEdges(item, env);
}

const failure = (error) => ({ ok: false, error: String(error?.message ?? error).split('\n')[0] });

async function timeCase(item, env, runs) {
  try {
    await warm(item, env);
  } catch (error) {
    return { name: item.name, ...failure(error) };
  }
  const parse_s = [];
  for (let i = 0; i < runs; i++) parse_s.push(await seconds(() => env.mermaid.parse(item.text)));
  return { name: item.name, edges: item.edges, ok: true, parse_s };
}

async function serve(cases, env) {
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, index] = line.trim().split(/\s+/);
    const item = cases[Number(index)];
    let answer;
    try {
      if (item === undefined) throw new Error(`no case ${index}`);
      if (command === 'warm') {
        await warm(item, env);
        answer = { ok: true };
      } else if (command === 'time') {
        const s = await seconds(() => env.mermaid.parse(item.text));
        checkEdges(item, env);
        answer = { ok: true, s };
      } else {
        throw new Error(`unknown command ${command}`);
      }
    } catch (error) {
      answer = failure(error);
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
}

const opts = options(process.argv.slice(2));
if (opts.version) {
  process.stdout.write(`${require('mermaid/package.json').version}\n`);
} else {
  if (opts.file === undefined) {
    process.stderr.write('usage: node --expose-gc parse_time.mjs cases.json [--runs N] | --version\n');
    process.exit(2);
  }
  const cases = JSON.parse(readFileSync(opts.file, 'utf8'));
  const started = process.hrtime.bigint();
  const env = await loadFlowchart();
  const startup_s = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({
    mermaid: require('mermaid/package.json').version, node: process.version,
    gc: typeof globalThis.gc === 'function', startup_s,
  }) + '\n');
  if (opts.runs > 0) {
    for (const item of cases) process.stdout.write(JSON.stringify(await timeCase(item, env, opts.runs)) + '\n');
  } else {
    await serve(cases, env);
  }
}
