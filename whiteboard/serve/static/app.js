// whiteboard serve: the page's behaviour. No framework and no markup from data: every text
// that comes from a diagram (labels inside finding messages, the scorecard) is inserted with
// textContent, and the picture is an <img> of a blob: URL, which cannot run scripts.
"use strict";

(() => {
  const CHECK_DELAY_MS = 300;  // re-check this long after typing stops
  const SAVE_DELAY_MS = 2000;  // during a round, save this long after the last keystroke
  const POLL_MS = 1000;        // the round clock
  const DRAFT_KEY = "whiteboard.serve.draft";
  const SEVERITY_RANK = { error: 3, warning: 2, info: 1 };

  const $ = (id) => document.getElementById(id);
  const editor = $("editor");
  const gutter = $("gutter");
  const problemPicker = $("problem");
  const slaInput = $("sla");
  const slaError = $("sla-error");
  const overlayBox = $("overlay");
  const startButton = $("start");
  const startHint = $("start-hint");
  const finishButton = $("finish");
  const summary = $("summary");
  const statusLine = $("status");
  const findingsList = $("findings");
  const countLabel = $("count");
  const picture = $("picture");
  const pictureNote = $("picture-note");
  const svgImage = $("svg");
  const zoomButton = $("zoom");
  const roundPane = $("round");
  const clock = $("clock");
  const phaseLabel = $("phase");
  const drawLabel = $("draw");
  const nudgesList = $("nudges");
  const scorecardPane = $("scorecard-pane");
  const scorecard = $("scorecard");

  // ---- small helpers -------------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  function ms(value) {
    return `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;
  }

  function mmss(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    return `${String(Math.floor(whole / 60)).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
  }

  function setStatus(text, isError = false) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", isError);
  }

  async function errorOf(response) {
    try {
      const body = await response.json();
      if (body && body.error && typeof body.error.message === "string") return body.error;
    } catch (_) { /* not JSON: fall through */ }
    return { status: response.status, message: `${response.status} ${response.statusText}` };
  }

  function query(extra = {}) {
    const params = new URLSearchParams();
    if (problemPicker.value) params.set("problem", problemPicker.value);
    const sla = slaInput.value.trim();
    if (sla) params.set("sla", sla);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    const text = params.toString();
    return text ? `?${text}` : "";
  }

  function postText(url, text, signal) {
    return fetch(url, {
      method: "POST",
      body: text,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
      signal,
    });
  }

  // ---- the editor: line numbers, drafts, selecting a line ---------------------------------

  let lineMarks = new Map();  // line number -> worst severity on it

  function drawGutter() {
    const lines = editor.value.split("\n").length;
    const fragment = document.createDocumentFragment();
    for (let line = 1; line <= lines; line += 1) {
      fragment.appendChild(element("span", lineMarks.get(line) || "", line));
    }
    gutter.replaceChildren(fragment);
    gutter.scrollTop = editor.scrollTop;
  }

  function selectLine(line) {
    const lines = editor.value.split("\n");
    const index = Math.min(Math.max(line, 1), lines.length) - 1;
    let start = 0;
    for (let i = 0; i < index; i += 1) start += lines[i].length + 1;
    editor.focus({ preventScroll: true });
    editor.setSelectionRange(start, start + lines[index].length);
    const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 18;
    editor.scrollTop = Math.max(0, index * lineHeight - editor.clientHeight / 3);
    editor.scrollLeft = 0;
    gutter.scrollTop = editor.scrollTop;
    editor.scrollIntoView({ block: "nearest" });
  }

  function saveDraft() {
    try { localStorage.setItem(DRAFT_KEY, editor.value); } catch (_) { /* private mode: no drafts */ }
  }

  function loadDraft() {
    try { return localStorage.getItem(DRAFT_KEY); } catch (_) { return null; }
  }

  // ---- the check: findings and the summary line -------------------------------------------

  let checkSequence = 0;
  let checkAbort = null;

  async function check() {
    const sequence = ++checkSequence;
    if (checkAbort) checkAbort.abort();
    checkAbort = new AbortController();
    const text = editor.value;
    let response;
    try {
      response = await postText(`/api/check${query()}`, text, checkAbort.signal);
    } catch (error) {
      if (error.name !== "AbortError" && sequence === checkSequence) setStatus("The server cannot be reached.", true);
      return;
    }
    if (sequence !== checkSequence) return;  // a newer check is under way: this answer is stale
    if (!response.ok) {
      const error = await errorOf(response);
      if (sequence !== checkSequence) return;
      showRequestError(error);
      if (text === editor.value) findingsList.setAttribute("aria-busy", "false");
      return;
    }
    const documentBody = await response.json();
    if (sequence !== checkSequence) return;
    clearRequestError();
    showCheck(documentBody);
    // aria-busy: "true" from a keystroke until the findings of the text now in the editor are shown
    if (text === editor.value) findingsList.setAttribute("aria-busy", "false");
  }

  function showRequestError(error) {
    const isSla = error.param === "sla";
    slaInput.setAttribute("aria-invalid", String(isSla));
    slaError.textContent = isSla ? error.message : "";
    setStatus(isSla ? "" : error.message, !isSla);
  }

  function clearRequestError() {
    slaInput.setAttribute("aria-invalid", "false");
    slaError.textContent = "";
    if (statusLine.classList.contains("error")) setStatus("");
  }

  function showCheck(documentBody) {
    const diagram = (documentBody.files[0] && documentBody.files[0].diagrams[0]) || { findings: [] };
    const findings = diagram.findings || [];
    lineMarks = new Map();
    const items = document.createDocumentFragment();
    for (const finding of findings) {
      const rank = SEVERITY_RANK[finding.severity] || 0;
      if (rank > (SEVERITY_RANK[lineMarks.get(finding.line)] || 0)) lineMarks.set(finding.line, finding.severity);
      const button = element("button");
      button.type = "button";
      button.dataset.line = String(finding.line);
      button.append(
        element("span", "code", finding.code),
        element("span", `severity ${finding.severity}`, finding.severity),
        element("span", "where", `${finding.line}:${finding.column}`),
        element("span", "message", finding.message),
      );
      button.addEventListener("click", () => selectLine(finding.line));
      const item = element("li", `finding ${finding.severity}`);
      item.appendChild(button);
      items.appendChild(item);
    }
    if (!findings.length) items.appendChild(element("li", "empty", "No findings: the check passes."));
    findingsList.replaceChildren(items);
    countLabel.textContent = `(${findings.length})`;
    drawGutter();
    showSummary(documentBody.summary, diagram);
  }

  function showSummary(counts, diagram) {
    const parts = [`${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${counts.info} info`];
    const pieces = [];
    if (diagram.coverage && typeof diagram.coverage.score === "number") {
      pieces.push(element("span", "", `coverage ${Math.round(diagram.coverage.score * 100)}%`));
    }
    const latency = diagram.latency || {};
    if (latency.critical_path_ms !== null && latency.critical_path_ms !== undefined) {
      const over = latency.sla_ms !== null && latency.sla_ms !== undefined && latency.critical_path_ms > latency.sla_ms;
      const text = latency.sla_ms !== null && latency.sla_ms !== undefined
        ? `critical path ${ms(latency.critical_path_ms)} of a ${ms(latency.sla_ms)} SLA`
        : `critical path ${ms(latency.critical_path_ms)} (no SLA stated)`;
      pieces.push(element("span", over ? "over" : (latency.sla_ms != null ? "within" : ""), text));
    } else if (latency.sla_ms !== null && latency.sla_ms !== undefined) {
      pieces.push(element("span", "", `no annotated request path (SLA ${ms(latency.sla_ms)})`));
    }
    if (Array.isArray(diagram.signals) && diagram.signals.length) {
      const shown = diagram.signals.filter((signal) => signal.shown).length;
      pieces.push(element("span", "", `signals ${shown} of ${diagram.signals.length}`));
    }
    summary.replaceChildren(document.createTextNode(parts[0]));
    for (const piece of pieces) summary.append(document.createTextNode(" · "), piece);
  }

  // ---- the picture ------------------------------------------------------------------------

  let renderSequence = 0;
  let renderAbort = null;
  let pictureUrl = null;

  async function render() {
    const sequence = ++renderSequence;
    if (renderAbort) renderAbort.abort();
    renderAbort = new AbortController();
    const text = editor.value;
    let response;
    try {
      response = await postText(`/api/render${query({ overlay: overlayBox.checked ? "1" : "0" })}`,
        text, renderAbort.signal);
    } catch (error) {
      return;  // aborted, or the server is gone (the check says so)
    }
    if (sequence !== renderSequence) return;
    const done = () => { if (text === editor.value) picture.setAttribute("aria-busy", "false"); };
    if (!response.ok) {
      const error = await errorOf(response);
      if (sequence !== renderSequence) return;
      done();
      pictureNote.hidden = false;
      pictureNote.classList.toggle("error", response.status !== 503);
      pictureNote.textContent = svgImage.hidden || response.status === 503
        ? error.message : `${error.message}. Showing the last picture that could be drawn.`;
      picture.classList.add("stale");
      return;
    }
    const blob = await response.blob();
    if (sequence !== renderSequence) return;
    const url = URL.createObjectURL(new Blob([blob], { type: "image/svg+xml" }));
    const previous = pictureUrl;
    pictureUrl = url;
    svgImage.onload = () => {
      if (previous) URL.revokeObjectURL(previous);
      done();
    };
    svgImage.src = url;
    svgImage.hidden = false;
    pictureNote.hidden = true;
    pictureNote.textContent = "";
    picture.classList.remove("stale");
  }

  zoomButton.addEventListener("click", () => {
    const actual = picture.classList.toggle("actual");
    zoomButton.setAttribute("aria-pressed", String(actual));
    zoomButton.textContent = actual ? "Fit to pane" : "Actual size";
  });

  // ---- re-checking as the person types ----------------------------------------------------

  let checkTimer = null;

  function scheduleCheck() {
    findingsList.setAttribute("aria-busy", "true");
    picture.setAttribute("aria-busy", "true");
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => { check(); render(); }, CHECK_DELAY_MS);
  }

  editor.addEventListener("input", () => {
    drawGutter();
    saveDraft();
    scheduleCheck();
    scheduleSave();
  });
  editor.addEventListener("scroll", () => { gutter.scrollTop = editor.scrollTop; });
  slaInput.addEventListener("input", scheduleCheck);
  problemPicker.addEventListener("change", () => { updateStartButton(); scheduleCheck(); });
  overlayBox.addEventListener("change", () => { picture.setAttribute("aria-busy", "true"); render(); });

  // ---- the problems -----------------------------------------------------------------------

  async function loadProblems() {
    try {
      const response = await fetch("/api/problems");
      if (!response.ok) { setStatus((await errorOf(response)).message, true); return; }
      for (const problem of await response.json()) {
        const option = element("option", "", `${problem.name}: ${problem.title}`);
        option.value = problem.name;
        const sla = problem.sla_ms ? ` (SLA ${ms(problem.sla_ms)})` : "";
        option.title = `${problem.summary || ""}${sla}`;
        problemPicker.appendChild(option);
      }
    } catch (_) {
      setStatus("The problem list could not be loaded.", true);
    }
  }

  async function startingText() {
    const draft = loadDraft();
    if (draft !== null && draft.trim()) return draft;
    try {
      const response = await fetch("/api/skeleton?problem=framework");
      if (response.ok) return await response.text();
    } catch (_) { /* offline server: start empty */ }
    return "flowchart LR\n";
  }

  // ---- the practice round -----------------------------------------------------------------

  let round = { running: false };
  let saveTimer = null;

  function updateStartButton() {
    const canStart = Boolean(problemPicker.value) && !round.running;
    startButton.disabled = !canStart;
    startHint.hidden = Boolean(problemPicker.value) || round.running;
  }

  function showScorecard(markdown) {
    scorecard.textContent = typeof markdown === "string" ? markdown : "";
    scorecardPane.hidden = false;
    scorecardPane.scrollIntoView({ block: "start" });
  }

  function showRound(state) {
    const wasRunning = round.running;
    if (state && state.finished && wasRunning) {  // the time ran out: the server closed the round
      showScorecard(state.finished.markdown);
      setStatus("Time is up: the round is closed and its scorecard is below.");
    }
    round = state && state.running ? state : { running: false };
    roundPane.hidden = !round.running;
    startButton.hidden = round.running;
    finishButton.hidden = !round.running;
    updateStartButton();
    if (!round.running) return;
    const total = (Number(round.minutes) || 45) * 60;
    const elapsed = Number(round.elapsed_s) || 0;
    clock.textContent = `${mmss(elapsed)} / ${mmss(total)}`;
    clock.classList.toggle("over", elapsed > total);
    const phase = round.phase;
    if (phase) {
      phaseLabel.textContent = `Phase ${phase.number}: ${phase.title} (minutes ${phase.start}-${phase.end})`;
      drawLabel.textContent = `Draw now: ${phase.draw}`;
    } else {
      phaseLabel.textContent = elapsed >= total ? "Time is up" : "Buffer: questions and wrap-up";
      drawLabel.textContent = elapsed >= total ? "Finish the round to see the scorecard." : "Review the board and close open loops.";
    }
    nudgesList.replaceChildren(...(round.nudges || []).map((nudge) => element("li", "", nudge)));
    if (!wasRunning && round.problem && problemPicker.value !== round.problem
        && [...problemPicker.options].some((option) => option.value === round.problem)) {
      problemPicker.value = round.problem;  // check against the round's problem
      updateStartButton();
      scheduleCheck();
    }
  }

  async function pollRound() {
    try {
      const response = await fetch("/api/round", { cache: "no-store" });
      showRound(response.ok ? await response.json() : { running: false });
    } catch (_) {
      showRound({ running: false });
    } finally {
      setTimeout(pollRound, POLL_MS);
    }
  }

  async function saveRound() {
    clearTimeout(saveTimer);
    if (!round.running) return;
    try {
      const response = await postText("/api/round/save", editor.value);
      if (response.ok) {
        const body = await response.json();
        if (body.finished) showRound(body);  // saved after the time ran out: the round is closed
        else setStatus(`Saved at ${mmss(Number(body.elapsed_s) || 0)} of the round.`);
      } else setStatus(`Not saved: ${(await errorOf(response)).message}`, true);
    } catch (_) {
      setStatus("Not saved: the server cannot be reached.", true);
    }
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    if (round.running) saveTimer = setTimeout(saveRound, SAVE_DELAY_MS);
  }

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();  // the browser's "save page" is never what is meant here
      if (round.running) saveRound();
      else setStatus("No round is running; your draft is kept in this browser.");
    }
  });

  startButton.addEventListener("click", async () => {
    if (!problemPicker.value) return;
    try {
      const response = await fetch("/api/round/start", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ problem: problemPicker.value, minutes: 45 }),
      });
      if (!response.ok) { setStatus((await errorOf(response)).message, true); return; }
      const body = await response.json().catch(() => ({}));
      if (body && typeof body.text === "string") {  // a starting board, if the round gives one
        editor.value = body.text;
        drawGutter();
        saveDraft();
        scheduleCheck();
      }
      scorecardPane.hidden = true;
      setStatus("Round started.");
    } catch (_) {
      setStatus("The round could not be started: the server cannot be reached.", true);
    }
  });

  finishButton.addEventListener("click", async () => {
    await saveRound();
    try {
      const response = await fetch("/api/round/finish", { method: "POST" });
      if (!response.ok) { setStatus((await errorOf(response)).message, true); return; }
      const body = await response.json();
      showScorecard(body.markdown);
      showRound({ running: false });
      setStatus("Round finished.");
    } catch (_) {
      setStatus("The round could not be finished: the server cannot be reached.", true);
    }
  });

  // ---- start ------------------------------------------------------------------------------

  async function start() {
    updateStartButton();
    await loadProblems();
    editor.value = await startingText();
    drawGutter();
    await Promise.all([check(), render()]);
    document.documentElement.dataset.ready = "true";  // for whoever waits on the page (the tests)
    pollRound();
  }

  start();
})();
