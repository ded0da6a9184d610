#!/usr/bin/env node
// dompurify_reference.mjs — ground truth for whiteboard/sanitize.py.
//
// Reads a JSON array of label strings (file argument or stdin) and prints a JSON array with, for
// each, what mermaid 11.17.2's common.sanitizeText(label, config) returns under the default config
// (securityLevel 'strict', htmlLabels true), i.e. what FlowDB stores as a node/edge label.
//
//   node scripts/dompurify_reference.mjs labels.json > expected.json
//   node scripts/dompurify_reference.mjs --direct labels.json   # DOMPurify replica, no mermaid
//
// Default mode loads the real mermaid (via /work/oracle/mermaid_env.mjs) and calls the
// FlowDB.sanitizeText method itself, so it is mermaid's own code path. --direct instead calls the
// same DOMPurify instance the way common.ts does (two sanitize calls plus mermaid's <a target>
// hooks), without loading mermaid; both must agree.
import { readFileSync } from 'node:fs';

const ORACLE = process.env.MERMAID_ORACLE_DIR || '/work/oracle';
const args = process.argv.slice(2);
const direct = args.includes('--direct');
const file = args.find((a) => !a.startsWith('--'));
const inputs = JSON.parse(readFileSync(file ?? 0, 'utf8'));

let sanitize;
if (direct) {
  const { JSDOM } = await import(`${ORACLE}/node_modules/jsdom/lib/api.js`);
  const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>');
  globalThis.window = dom.window;
  const DOMPurify = (await import(`${ORACLE}/node_modules/dompurify/dist/purify.es.mjs`)).default;
  const TMP = 'data-temp-href-target';
  DOMPurify.addHook('beforeSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('target')) node.setAttribute(TMP, node.getAttribute('target') ?? '');
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute(TMP)) {
      node.setAttribute('target', node.getAttribute(TMP) ?? '');
      node.removeAttribute(TMP);
      if (node.getAttribute('target') === '_blank') node.setAttribute('rel', 'noopener');
    }
  });
  sanitize = (t) => (t ? DOMPurify.sanitize(DOMPurify.sanitize(t), { FORBID_TAGS: ['style'] }).toString() : t);
} else {
  const { loadMermaid } = await import(`${ORACLE}/mermaid_env.mjs`);
  const { FlowDB } = await loadMermaid({ quiet: true });
  const db = new FlowDB();
  sanitize = (t) => db.sanitizeText(t);
}
process.stdout.write(JSON.stringify(inputs.map((t) => sanitize(t))) + '\n');
