// The verifier page: reads the input (camera, image, paste), sends it to this node's public verify endpoints and
// shows the node's answer. The verdict itself (status, reason, issuer, timeline, content) comes from the node's
// "summary"; this script only routes input and renders. Untrusted text is always set with textContent.
import { strings as t } from "./strings.js";

const $ = (id) => document.getElementById(id);

for (const el of document.querySelectorAll("[data-text]")) el.textContent = t[el.dataset.text];
document.title = t.title;

// --- input ---------------------------------------------------------------------------------------------------

$("paste-form").addEventListener("submit", (event) => {
  event.preventDefault();
  verifyText($("paste").value);
});

// Arrival country: offered when the node holds business rules (vchealth node --rules); sent with every HCERT check.
(async () => {
  try {
    const response = await fetch("/rules/countries");
    if (!response.ok) return;
    const { countries } = await response.json();
    if (!Array.isArray(countries) || countries.length === 0) return;
    for (const code of countries) $("country").append(el("option", { value: code }, code));
    $("rules-card").hidden = false;
  } catch { /* no rules offered: the checks run without them */ }
})();

function hcertBody(body) {
  const country = $("country").value;
  return country ? { ...body, country } : body;
}

$("upload").addEventListener("change", async () => {
  const file = $("upload").files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  // The node decodes the image (the same decoder as `vchealth dcc verify IMAGE`).
  await call("/hcert/verify", hcertBody({ qrPng: btoa(binary) }));
});

function verifyText(text) {
  const input = text.trim();
  if (input.startsWith("HC1:")) return call("/hcert/verify", hcertBody({ hc1: input }));
  let document;
  try { document = JSON.parse(input); } catch { return showInputError(t.notJson); }
  if (document === null || typeof document !== "object" || Array.isArray(document)) return showInputError(t.notJson);
  const types = [].concat(document.type ?? []);
  if (types.includes("VerifiablePresentation")) {
    const options = {};
    if ($("challenge").value.trim()) options.challenge = $("challenge").value.trim();
    if ($("domain").value.trim()) options.domain = $("domain").value.trim();
    return call("/presentations/verify", { verifiablePresentation: document, options });
  }
  return call("/credentials/verify", { verifiableCredential: document });
}

// Camera: frames go to the pinned jsQR decoder in the page; the decoded text is verified like a paste.
let stream = null;
$("scan").addEventListener("click", startCamera);
$("scan-stop").addEventListener("click", stopCamera);

async function startCamera() {
  if (!navigator.mediaDevices?.getUserMedia || typeof window.jsQR !== "function") {
    $("scan-status").textContent = t.scanUnavailable;
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch {
    $("scan-status").textContent = t.scanUnavailable;
    return;
  }
  const video = $("camera");
  video.srcObject = stream;
  video.setAttribute("aria-label", t.cameraLabel);
  video.hidden = false;
  $("scan").hidden = true;
  $("scan-stop").hidden = false;
  $("scan-stop").focus();
  $("scan-status").textContent = t.scanLooking;
  await video.play();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const tick = () => {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      if (code?.data) {
        stopCamera();
        verifyText(code.data);
        return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function stopCamera() {
  if (stream) for (const track of stream.getTracks()) track.stop();
  stream = null;
  $("camera").hidden = true;
  $("scan-stop").hidden = true;
  $("scan").hidden = false;
  $("scan-status").textContent = "";
}

// --- the node -------------------------------------------------------------------------------------------------

async function call(path, body) {
  showChecking();
  let response, answer;
  try {
    response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    answer = await response.json();
  } catch (e) {
    return render({ summary: { status: "cannot-tell", reason: `${t.networkError}: ${e.message}` } }, null);
  }
  // A verification answer (200 or 400) carries the node's summary; anything else is a problem+json about the input
  // or the node itself (e.g. 503 while the ledger does not answer): the node could not decide.
  if (answer && answer.summary) return render(answer, answer);
  const reason = answer?.detail ?? answer?.title ?? `HTTP ${response.status}`;
  // 503: the node itself cannot answer now (ledger unreachable, its offline pack too old); 4xx: the input.
  const prefix = response.status === 503 ? t.nodeCannotDecide : t.inputError;
  return render({ summary: { status: "cannot-tell", reason: `${prefix}: ${reason}` } }, answer);
}

// --- rendering ------------------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

function showChecking() {
  $("verdict").replaceChildren(el("p", { class: "checking" }, t.checking));
  $("details").replaceChildren();
}

function showInputError(reason) {
  render({ summary: { status: "cannot-tell", reason: `${t.inputError}: ${reason}` } }, null);
}

function facts(heading, rows) {
  const present = rows.filter(([, value]) => value !== null && value !== undefined && value !== "");
  if (present.length === 0) return null;
  const list = el("dl");
  for (const [label, value] of present) list.append(el("dt", {}, label), el("dd", {}, value));
  return el("section", { class: "facts" }, el("h3", {}, heading), list);
}

function render(answer, raw) {
  const s = answer.summary;
  $("verdict").replaceChildren(el("div", { class: `banner ${s.status}`, "data-status": s.status },
    el("p", { class: "headline" }, t.status[s.status] ?? s.status),
    el("p", { class: "help" }, t.statusHelp[s.status] ?? ""),
    el("p", { class: "reason" }, s.reason),
    answer.pack ? el("p", { class: "source" }, t.packNotice.replace("{block}", answer.pack.block).replace("{time}", answer.pack.blockTime)) : null));

  const parts = [];
  if (s.issuer) {
    parts.push(facts(t.issuerHeading, [
      [t.issuerDid, s.issuer.id], [t.issuerDsc, s.issuer.dsc], [t.country, s.issuer.country], [t.kid, s.issuer.kid],
      [t.trustSource, s.issuer.source],
    ]));
  }
  parts.push(trust(answer));
  if (s.timeline) {
    parts.push(facts(t.timelineHeading, [
      [t.vaccinated, s.timeline.vaccinated], [t.validFrom, s.timeline.validFrom],
      [t.validUntil, s.timeline.validUntil ?? (s.timeline.lifelong ? t.lifelong : null)],
    ]));
  }
  if (s.icvp) {
    const c = s.icvp;
    parts.push(facts(t.contentHeading, [
      [t.name, c.name], [t.dateOfBirth, c.dateOfBirth],
      [t.disease, c.diseaseName ? `${c.diseaseName} (${c.disease})` : c.disease],
      [t.vaccine, c.vaccineName ?? c.vaccine], [t.doseDate, c.doseDate], [t.doseNumber, c.doseNumber], [t.batch, c.batch],
      [t.vaccinationIssuer, c.issuer], [t.clinician, c.clinician],
    ]));
  }
  if (s.signed) parts.push(facts(t.signedHeading, [[t.issuedAt, s.signed.issuedAt], [t.expires, s.signed.expires]]));
  if (s.bridged) {
    parts.push(facts(t.bridgedHeading, [
      [t.bridgedDscCountry, s.bridged.dscCountry], [t.kid, s.bridged.dscKid], [t.bridgedTrustSource, s.bridged.trustSource],
      [t.bridgedVerifiedAt, s.bridged.verifiedAt], [t.bridgedHc1, el("code", { class: "hc1" }, s.bridged.hc1)],
    ]));
  }
  if (Array.isArray(answer.rules) && answer.rules.length) parts.push(rules(answer.rules));
  if (answer.pack) {
    const p = answer.pack;
    parts.push(facts(t.packHeading, [
      [t.packBlock, p.block], [t.packTime, p.blockTime], [t.packSigner, p.key],
      [t.packRegistration, p.signerRegistration ? `${p.signerRegistration.country} — ${p.signerRegistration.issuer}` : null],
      [t.packHash, p.contentHash], [t.packMaxAge, p.maxAge],
    ]));
  }
  parts.push(checks(answer));
  if (raw) parts.push(el("details", { class: "raw" }, el("summary", {}, t.rawHeading), el("pre", {}, JSON.stringify(raw, null, 2))));
  $("details").replaceChildren(...parts.filter(Boolean));
}

function trust(answer) {
  // A credential's answer has the decision in "trust"; an HCERT's has its trust lists there and the decision in "ledgerTrust".
  const lists = Array.isArray(answer.trust) ? answer.trust : [];
  const decision = Array.isArray(answer.trust) ? answer.ledgerTrust : answer.trust;
  const rows = [];
  if (decision) {
    rows.push([t.decision, decision.trusted ? t.trusted : `${t.notTrusted}: ${decision.reason}${decision.detail ? " — " + decision.detail : ""}`],
      [t.trustRegistryBlock, decision.registryBlock], [t.trustTransaction, decision.registryTransaction],
      [t.country, decision.country], [t.trustSource, decision.source], [t.trustAt, decision.at]);
  }
  if (answer.signer) rows.push([t.trustListEntry, `${answer.signer.source}${answer.signer.country ? " (" + answer.signer.country + ")" : ""}`]);
  if (lists.length) rows.push([t.trustLists, lists.map((l) => `${l.id ?? t.configuredList} (${l.keys} keys, proof ${l.proof})`).join("; ")]);
  if (rows.length === 0) rows.push([t.decision, t.trustNone]);
  return facts(t.trustHeading, rows);
}

function rules(list) {
  const items = list.map((r) => el("li", { class: r.passed ? "passed" : "failed", "data-rule": r.identifier },
    el("span", { class: "mark", "aria-hidden": "true" }, r.passed ? "✓" : "✗"),
    el("strong", {}, `${r.identifier}: ${r.passed ? t.ruleResult.passed : t.ruleResult.failed}`),
    ` — ${r.description}${r.error ? " (" + r.error + ")" : ""}`));
  return el("section", { class: "facts rules" }, el("h3", {}, t.rulesHeading), el("ul", { class: "checks" }, ...items));
}

function checks(answer) {
  const items = [];
  const add = (name, passed, detail) => items.push(el("li", { class: passed ? "passed" : "failed" },
    el("span", { class: "mark", "aria-hidden": "true" }, passed ? "✓" : "✗"),
    el("strong", {}, `${name}: ${passed ? t.checkPassed : t.checkFailed}`), detail ? ` — ${detail}` : ""));
  for (const c of answer.checks ?? []) add(c.check, c.valid, c.problem ? `${c.problem.title}: ${c.problem.detail}` : c.detail);
  for (const r of answer.credentialResults ?? []) for (const c of r.checks ?? []) add(`credential ${c.check}`, c.valid, c.problem ? `${c.problem.title}: ${c.problem.detail}` : c.detail);
  for (const step of answer.steps ?? []) add(step.step, step.passed, step.passed ? step.detail : `${step.failure}${step.detail ? ": " + step.detail : ""}`);
  if (items.length === 0) return null;
  return el("section", { class: "facts" }, el("h3", {}, t.checksHeading), el("ul", { class: "checks" }, ...items));
}
