// The validation station: fields and their boxes on the page image, linked both ways.
(function () {
  "use strict";
  const sheets = Array.from(document.querySelectorAll(".sheet"));
  const thumbs = Array.from(document.querySelectorAll(".thumb"));

  function place(box) {
    const sheet = box.closest(".sheet");
    const w = parseFloat(sheet.dataset.w), h = parseFloat(sheet.dataset.h);
    const [x0, top, x1, bottom] = box.dataset.bbox.split(",").map(parseFloat);
    const pad = 2; // points: a box drawn exactly on the glyphs hides them
    box.style.left = ((x0 - pad) / w * 100) + "%";
    box.style.top = ((top - pad) / h * 100) + "%";
    box.style.width = ((x1 - x0 + 2 * pad) / w * 100) + "%";
    box.style.height = ((bottom - top + 2 * pad) / h * 100) + "%";
  }
  document.querySelectorAll(".box[data-bbox]").forEach(place);

  function showPage(key) {
    sheets.forEach(s => { s.hidden = (s.id !== "sheet-" + key); });
    thumbs.forEach(t => t.classList.toggle("on", t.dataset.show === key));
  }
  thumbs.forEach(t => t.addEventListener("click", () => showPage(t.dataset.show)));
  if (thumbs.length) showPage(thumbs[0].dataset.show);

  function highlight(fieldId) {
    document.querySelectorAll(".box.active").forEach(b => b.classList.remove("active"));
    document.querySelectorAll(".field.active").forEach(f => f.classList.remove("active"));
    const row = document.getElementById("row-" + fieldId);
    if (row) row.classList.add("active");
    const box = document.getElementById("box-" + fieldId);
    if (!box) return;
    const sheet = box.closest(".sheet");
    showPage(sheet.dataset.file + "-" + sheet.dataset.page);
    box.classList.add("active");
    box.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  const inputs = Array.from(document.querySelectorAll("#fields-form input[data-path]"));
  inputs.forEach(input => {
    input.addEventListener("focus", () => highlight(input.id));
    input.addEventListener("click", () => highlight(input.id));
    input.addEventListener("keydown", ev => {
      if (ev.key !== "Enter") return;
      // Enter goes to the next flagged field instead of submitting; the Save button submits.
      ev.preventDefault();
      const flagged = inputs.filter(i => i.dataset.flagged === "1");
      if (!flagged.length) return;
      const here = inputs.indexOf(input);
      const next = flagged.find(i => inputs.indexOf(i) > here) || flagged[0];
      next.focus();
      next.select();
    });
  });
  document.querySelectorAll(".box.fieldbox").forEach(box => {
    box.addEventListener("click", () => {
      const input = document.getElementById(box.dataset.field);
      if (input) { input.focus(); input.scrollIntoView({ block: "center" }); }
    });
  });
  const firstBad = document.querySelector(".field.invalid input");
  if (firstBad) firstBad.focus();
})();
